import { errorBodySchema, meSchema } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, uniqueEmail } from "./helper.js";

describe("accounts", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp();
  });
  afterAll(() => app.close());

  it("signs up, signs in with an httpOnly SameSite session cookie, signs out", async () => {
    const browser = new Browser(app);
    const email = uniqueEmail("auth");
    const up = await browser.signUp(email);
    expect(up.statusCode).toBe(200);
    expect(meSchema.parse((await browser.get("/api/me")).json()).user).toBeNull();

    const signIn = await browser.signIn(email);
    expect(signIn.statusCode).toBe(200);
    const cookie = ([] as string[]).concat(signIn.headers["set-cookie"] ?? []).find((c) => c.includes("session_token"));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(meSchema.parse((await browser.get("/api/me")).json()).user).toMatchObject({ email, name: "Test User" });
    // The session lives in the database.
    const user = await app.prisma.user.findUniqueOrThrow({ where: { email }, include: { sessions: true } });
    expect(user.sessions).toHaveLength(1);

    expect((await browser.post("/api/auth/sign-out")).statusCode).toBe(200);
    expect(meSchema.parse((await browser.get("/api/me")).json()).user).toBeNull();
  });

  it("does not reveal whether an email is registered", async () => {
    const email = uniqueEmail("enum");
    const first = await new Browser(app).signUp(email, "first password 1");
    const second = await new Browser(app).signUp(email, "other password 2");
    expect(second.statusCode).toBe(first.statusCode);
    const shape = (body: { user: Record<string, unknown>; token: unknown }) => ({
      token: body.token,
      keys: Object.keys(body.user).sort(),
      email: body.user.email,
    });
    expect(shape(second.json())).toEqual(shape(first.json()));

    const wrongPassword = await new Browser(app).signIn(email, "not the password");
    const noSuchUser = await new Browser(app).signIn(uniqueEmail("nobody"), "not the password");
    expect(wrongPassword.statusCode).toBe(401);
    expect(noSuchUser.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(noSuchUser.json());
    expect(errorBodySchema.parse(wrongPassword.json())).toMatchObject({ error: "unauthorized", reason: "invalid-email-or-password" });
    // The first password still works: the second sign-up changed nothing.
    expect((await new Browser(app).signIn(email, "first password 1")).statusCode).toBe(200);
  });

  it("refuses state-changing requests from another site", async () => {
    const browser = new Browser(app);
    const evil = await browser.request("POST", "/api/analyses", { json: { text: "x" }, headers: { origin: "https://evil.example" } });
    expect(evil.statusCode).toBe(403);
    expect(evil.json()).toEqual({ error: "forbidden", message: "cross-site request refused" });
    const crossSite = await browser.request("POST", "/api/auth/sign-in/email", {
      json: { email: "a@b.c", password: "x" },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.statusCode).toBe(403);
    // Same origin passes the check (and then fails on its merits).
    const same = await browser.request("POST", "/api/analyses", { json: { text: "" }, headers: { origin: "http://localhost:80" } });
    expect(same.statusCode).toBe(400);
  });

  it("rate-limits sign-in attempts per IP", async () => {
    const strict = await buildApp({ RATE_LIMIT_AUTH_MAX: "3" });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await new Browser(strict).signIn(uniqueEmail("rl"), "wrong password")).statusCode);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      const limited = await new Browser(strict).signIn(uniqueEmail("rl"), "wrong password");
      expect(limited.json()).toMatchObject({ error: "rate-limited" });
    } finally {
      await strict.close();
    }
  });
});
