import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config/env.js";
import { logSerializers } from "../src/lib/log-serializers.js";
import { logCapture } from "./helper.js";

describe("request logs", () => {
  let app: FastifyInstance;
  const { stream, lines } = logCapture();
  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: inject("databaseUrl"), AUTH_SECRET: "test-secret-test-secret-test-secret-0123" });
    app = await createApp(config, { logger: { level: "info", serializers: logSerializers, stream } });
  });
  afterAll(() => app.close());

  it("never carry a share or reset token, however the URL spells it", async () => {
    const token = "SecretTok3n_abcdefghij";
    const spellings = [
      `/api/shared/${token}`,
      `/api/shared/%${token.charCodeAt(0).toString(16)}${token.slice(1)}/calls`,
      `/%61pi/shared/${token}/findings`,
      `/api%2Fshared/${token}`,
      `/s/${token}`,
      `/%73/${token}`,
      `/api/auth/reset-password/${token}?callbackURL=%2Freset-password`,
      `/reset-password?token=${token}`,
      `/api/auth/reset-password?TOKEN=${token}`,
    ];
    for (const url of spellings) await app.inject({ method: "GET", url });
    const logged = lines.join("");
    expect(logged).toContain("/api/shared/[token]");
    expect(logged).toContain("/api/auth/reset-password/[token]");
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(token.slice(1));
  });
});
