import { meSchema } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config/env.js";
import { Browser, buildApp, logCapture, uniqueEmail } from "./helper.js";

const GOOD = "correct horse battery";
const userOf = async (browser: Browser) => meSchema.parse((await browser.get("/api/me")).json()).user;

describe("auth hardening", () => {
  let app: FastifyInstance;
  const { stream, lines: logLines } = logCapture();
  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: inject("databaseUrl"), AUTH_SECRET: "test-secret-test-secret-test-secret-0123", RATE_LIMIT_AUTH_MAX: "1000" });
    app = await createApp(config, { logger: { level: "info", stream } });
  });
  afterAll(() => app.close());

  it("refuses weak passwords at sign-up, saying why", async () => {
    const weak: Array<[string, RegExp]> = [
      ["password", /first that attackers try/],
      [" ".repeat(8), /8 characters that are not spaces/],
      ["Password123!", /first that attackers try/],
      ["aaaaaaaaaaaa", /5 different characters/],
      ["12345678901", /only digits/],
    ];
    for (const [password, why] of weak) {
      const res = await new Browser(app).signUp(uniqueEmail("weak"), password);
      expect(res.statusCode, JSON.stringify(password)).toBe(400);
      expect(res.json()).toMatchObject({ error: "bad-request", reason: "weak-password" });
      expect(res.json<{ message: string }>().message).toMatch(why);
    }
    expect((await new Browser(app).signUp(uniqueEmail("strong"), GOOD)).statusCode).toBe(200);
  });

  it("refuses empty and overlong names at sign-up and on update", async () => {
    for (const name of ["", "   ", "x".repeat(10_000)]) {
      const res = await new Browser(app).post("/api/auth/sign-up/email", { email: uniqueEmail("name"), password: GOOD, name });
      expect(res.statusCode, `${name.length} characters`).toBe(400);
      expect(res.json()).toMatchObject({ error: "bad-request", reason: "invalid-name" });
    }
    const browser = new Browser(app);
    await browser.register(uniqueEmail("rename"));
    const long = await browser.post("/api/auth/update-user", { name: "y".repeat(101) });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toEqual({ error: "bad-request", reason: "invalid-name", message: "name: a name has at most 100 characters" });
    expect((await userOf(browser))?.name).toBe("Test User");
  });

  it("signs out the account's other sessions when the password is changed", async () => {
    const email = uniqueEmail("change");
    const laptop = new Browser(app);
    await laptop.register(email);
    const phone = new Browser(app);
    await phone.signIn(email);
    expect((await userOf(phone))?.email).toBe(email);

    const weak = await laptop.post("/api/auth/change-password", { currentPassword: GOOD, newPassword: "password1" });
    expect(weak.statusCode).toBe(400);
    // The client does not ask for it: the other sessions end anyway.
    const changed = await laptop.post("/api/auth/change-password", { currentPassword: GOOD, newPassword: "another good phrase" });
    expect(changed.statusCode).toBe(200);
    expect(await userOf(phone)).toBeNull();
    expect((await userOf(laptop))?.email).toBe(email);
    expect(await app.prisma.session.count({ where: { user: { email } } })).toBe(1);
  });

  it("throttles sign-in per account, whatever address the attempts come from", async () => {
    const strict = await buildApp({ SIGN_IN_ACCOUNT_MAX: "3", RATE_LIMIT_AUTH_MAX: "1000" });
    try {
      const email = uniqueEmail("throttle");
      await new Browser(strict).signUp(email);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await strict.inject({
          method: "POST",
          url: "/api/auth/sign-in/email",
          remoteAddress: `10.0.0.${i + 1}`,
          payload: { email: email.toUpperCase(), password: `wrong guess ${i}` },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      // The right password is throttled too (until the window passes); another account is not.
      expect((await new Browser(strict).signIn(email)).statusCode).toBe(429);
      expect((await new Browser(strict).signIn(uniqueEmail("other"), "wrong guess")).statusCode).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it("resets a forgotten password through a link written to the server log, and signs out every session", async () => {
    const email = uniqueEmail("reset");
    const old = new Browser(app);
    await old.register(email);

    const requested = await new Browser(app).post("/api/auth/request-password-reset", { email, redirectTo: "/reset-password" });
    expect(requested.statusCode).toBe(200);
    const line = logLines.map((l) => JSON.parse(l) as { msg: string; email?: string; resetUrl?: string }).find((l) => l.email === email && l.resetUrl);
    expect(line?.msg).toMatch(/password reset requested/);
    const link = new URL(line!.resetUrl!);
    expect(link.pathname).toMatch(/^\/api\/auth\/reset-password\/[A-Za-z0-9_-]+$/);

    // The link leads to the web app's "set new password" page with the token.
    const opened = await new Browser(app).get(link.pathname + link.search);
    expect(opened.statusCode).toBe(302);
    const page = new URL(opened.headers.location as string, "http://localhost");
    expect(page.pathname).toBe("/reset-password");
    const token = page.searchParams.get("token")!;
    expect(token).toBe(link.pathname.split("/").at(-1));

    const weak = await new Browser(app).post("/api/auth/reset-password", { token, newPassword: "        " });
    expect(weak.statusCode).toBe(400);
    const reset = await new Browser(app).post("/api/auth/reset-password", { token, newPassword: "a brand new phrase" });
    expect(reset.statusCode).toBe(200);
    expect(await userOf(old)).toBeNull();
    expect((await new Browser(app).signIn(email)).statusCode).toBe(401);
    expect((await new Browser(app).signIn(email, "a brand new phrase")).statusCode).toBe(200);
    // The token is spent.
    expect((await new Browser(app).post("/api/auth/reset-password", { token, newPassword: "yet another phrase" })).statusCode).toBe(400);
  });
});
