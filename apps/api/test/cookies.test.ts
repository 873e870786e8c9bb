import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, fixture, uniqueEmail } from "./helper.js";

const sngrep = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");
const setCookies = (headers: Record<string, unknown>) => ([] as string[]).concat((headers["set-cookie"] as string[] | string | undefined) ?? []);

describe("cookies behind PUBLIC_URL=https://…", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // The proxy terminates TLS: the request reaching the API is plain http.
    app = await buildApp({ PUBLIC_URL: "https://siplens.example" });
  });
  afterAll(() => app.close());

  it("marks the anonymous cookie and the session cookie Secure", async () => {
    const browser = new Browser(app);
    const paste = await browser.post("/api/analyses", { text: sngrep });
    expect(paste.statusCode).toBe(201);
    const anon = setCookies(paste.headers).find((c) => c.startsWith("siplens_anon="));
    expect(anon).toMatch(/; Secure/);
    expect(anon).toMatch(/; HttpOnly/);

    const email = uniqueEmail("secure");
    await browser.signUp(email);
    const signIn = await browser.signIn(email);
    const cookies = setCookies(signIn.headers);
    expect(cookies.find((c) => c.includes("session_token="))).toMatch(/; Secure/);
    // Signing in claims the anonymous analysis and clears the anonymous cookie, with the same attributes.
    expect(cookies.find((c) => c.startsWith("siplens_anon="))).toMatch(/; Secure/);
  });
});
