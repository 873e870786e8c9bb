import { analysisDetailSchema, type ShareCreated } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, fixture, uniqueEmail } from "./helper.js";

const sngrep = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");

describe("expired anonymous analyses", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp();
  });
  afterAll(() => app.close());

  it("read as gone from the moment they expire, before the purge runs, and are not claimed into an account", async () => {
    const browser = new Browser(app);
    const detail = analysisDetailSchema.parse((await browser.post("/api/analyses", { text: sngrep })).json());
    const share = (await browser.post(`/api/analyses/${detail.id}/shares`, {})).json<ShareCreated>();
    expect((await browser.get(`/api/shared/${share.token}`)).statusCode).toBe(200);

    await app.prisma.analysis.update({ where: { id: detail.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const url of [
      `/api/analyses/${detail.id}`,
      `/api/analyses/${detail.id}/calls`,
      `/api/analyses/${detail.id}/messages/0`,
      `/api/analyses/${detail.id}/shares`,
      `/api/shared/${share.token}`,
      `/api/shared/${share.token}/calls/0`,
    ]) {
      expect((await browser.get(url)).statusCode, url).toBe(404);
    }
    expect((await browser.patch(`/api/analyses/${detail.id}`, { title: "still here?" })).statusCode).toBe(404);

    // Signing in moves this browser's live analyses into the account, not the expired one.
    await browser.register(uniqueEmail("expired"));
    const row = await app.prisma.analysis.findUniqueOrThrow({ where: { id: detail.id } });
    expect(row.ownerId).toBeNull();
    expect((await browser.get(`/api/analyses/${detail.id}`)).statusCode).toBe(404);
  });
});
