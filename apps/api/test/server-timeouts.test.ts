import net from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config/env.js";
import { applySocketLimits, serverTimeouts } from "../src/server-timeouts.js";

/** Milliseconds until the server closes the socket (or `giveUpMs` when it does not). */
function closedAfter(socket: net.Socket, giveUpMs: number): Promise<number> {
  const start = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(giveUpMs);
    }, giveUpMs);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
    socket.on("error", () => undefined);
  });
}

describe("idle connections on the listening server", () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: inject("databaseUrl"),
      LOG_LEVEL: "silent",
      AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      IDLE_TIMEOUT_MS: "700",
    });
    app = await createApp(config, { logger: false, ...serverTimeouts(config) });
    applySocketLimits(app, config);
    await app.listen({ port: 0, host: "127.0.0.1" });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => app.close());

  it("closes a connection that never sends a request, and one kept alive after its answer", async () => {
    const silent = net.connect(port, "127.0.0.1");
    expect(await closedAfter(silent, 5000)).toBeLessThan(3000);

    const keptAlive = net.connect(port, "127.0.0.1");
    let answer = "";
    keptAlive.on("data", (d: Buffer) => (answer += d.toString("latin1")));
    keptAlive.write("GET /api/me HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
    expect(await closedAfter(keptAlive, 5000)).toBeLessThan(3000);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
  });
});
