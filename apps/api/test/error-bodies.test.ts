import { errorBodySchema } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, uniqueEmail } from "./helper.js";

/** Clients switch on `error`: every failure, ours or the account service's, carries a code of the contract. */
describe("error bodies", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("name a contract error code on every kind of failure", async () => {
    const browser = new Browser(app);
    const failures = [
      await browser.get("/api/no-such-route"),
      await browser.get("/api/analyses/not-an-id"),
      await browser.request("POST", "/api/analyses", { body: "text", headers: { "content-type": "text/plain" } }),
      await browser.post("/api/analyses", { text: 42 }),
      await browser.post("/api/analyses", { text: "hello, this is not SIP" }),
      await browser.signIn(uniqueEmail("nobody"), "not the password"),
      await browser.signUp(uniqueEmail("weak"), "password"),
      await browser.post("/api/auth/sign-up/email", { email: "not an email", password: "correct horse battery", name: "x" }),
      await new Browser(app).post("/api/auth/update-user", { name: "Nobody" }),
    ];
    const bodies = failures.map((res) => ({ status: res.statusCode, body: errorBodySchema.safeParse(res.json()) }));
    for (const { status, body } of bodies) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(body.success, JSON.stringify(body.error?.issues)).toBe(true);
    }
    expect(bodies.map(({ status, body }) => `${status} ${body.data?.error}${body.data?.reason ? ` (${body.data.reason})` : ""}`)).toEqual([
      "404 not-found",
      "404 not-found",
      "415 unsupported-media-type",
      "400 bad-request",
      "422 not-a-trace",
      "401 unauthorized (invalid-email-or-password)",
      "400 bad-request (weak-password)",
      "400 bad-request (validation-error)",
      "401 unauthorized",
    ]);
  });
});
