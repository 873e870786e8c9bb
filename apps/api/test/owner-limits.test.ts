import { errorBodySchema } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomId, sha256Hex } from "../src/lib/ids.js";
import { Browser, buildApp, fixture, uniqueEmail } from "./helper.js";

const text = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");
const pcap = fixture("S1a_caller_hangup_direct_udp.pcap");
const error = (res: { json(): unknown }) => errorBodySchema.parse(res.json());

describe("storage quotas, queue depth and fair scheduling per owner", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({
      QUOTA_ANON_ANALYSES: "2",
      QUOTA_ANON_BYTES: String(Buffer.byteLength(text) * 2 + 100),
      QUOTA_ACCOUNT_ANALYSES: "3",
      JOB_QUEUE_MAX_PER_OWNER: "2",
      // The job runner must not take the rows this test queues by hand.
      JOB_POLL_MS: "3600000",
      RATE_LIMIT_ANALYSES_MAX: "1000",
    });
    await app.prisma.analysisJob.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "failed", lockedBy: null } });
  });
  afterAll(async () => app.close());

  it("an anonymous browser past its byte quota gets 413 saying what it uses and what is allowed", async () => {
    const browser = new Browser(app);
    expect((await browser.post("/api/analyses", { text })).statusCode).toBe(201);
    const res = await browser.upload("/api/analyses/upload", Buffer.concat([pcap, pcap, pcap, pcap, pcap, pcap]), "big.pcap");
    expect(res.statusCode).toBe(413);
    expect(error(res)).toEqual({
      error: "quota-exceeded",
      message: `this browser keeps 1 analysis using ${Math.ceil(Buffer.byteLength(text) / 1024)} KB; 2 analyses and ${Math.ceil((Buffer.byteLength(text) * 2 + 100) / 1024)} KB are allowed (this input needs ${Math.ceil((pcap.length * 6) / 1024)} KB): delete some, or sign in for more room`,
    });
    // Nothing of the refused upload is kept; another browser is not affected.
    expect(await app.prisma.analysis.count({ where: { anonKeyHash: sha256Hex(browser.cookies.get("siplens_anon")!) } })).toBe(1);
    expect((await new Browser(app).upload("/api/analyses/upload", pcap, "other.pcap")).statusCode).toBe(201);
  });

  it("an account past its analysis count gets 429 saying what it uses and what is allowed", async () => {
    const browser = new Browser(app);
    await browser.register(uniqueEmail("quota"));
    for (let i = 0; i < 3; i++) expect((await browser.post("/api/analyses", { text, title: `n${i}` })).statusCode).toBe(201);
    const res = await browser.post("/api/analyses", { text });
    expect(res.statusCode).toBe(429);
    expect(error(res).error).toBe("quota-exceeded");
    expect(error(res).message).toMatch(/^this account keeps 3 analyses using [\d.]+ KB; 3 analyses and 10\.00 GB are allowed: delete some to make room$/);
    // Deleting one makes room again.
    const list = (await browser.get("/api/analyses")).json<{ items: Array<{ id: string }> }>();
    expect((await browser.delete(`/api/analyses/${list.items[0]!.id}`)).statusCode).toBe(204);
    expect((await browser.post("/api/analyses", { text })).statusCode).toBe(201);
  });

  it("an owner with the most jobs waiting is refused more, with the count allowed", async () => {
    const browser = new Browser(app);
    await browser.register(uniqueEmail("depth"));
    const userId = (await browser.get("/api/me")).json<{ user: { id: string } }>().user.id;
    for (let i = 0; i < 2; i++) {
      await app.jobs.create(app.prisma, {
        id: randomId(),
        analysisId: randomId(),
        ownerId: userId,
        anonKeyHash: null,
        title: `waiting ${i}`,
        sha256: "x",
        totalBytes: 10,
      });
    }
    const res = await browser.upload("/api/analyses/upload", pcap, "third.pcap");
    expect(res.statusCode).toBe(429);
    expect(error(res)).toEqual({
      error: "quota-exceeded",
      message: "this account has 2 analyses waiting or running; at most 2 at a time are allowed: wait for one to finish",
    });
    await app.prisma.analysisJob.deleteMany({ where: { ownerId: userId } });
  });

  it("the queue takes the owner with the fewest jobs running first, not the oldest job", async () => {
    const job = (owner: string, title: string) =>
      app.jobs.create(app.prisma, { id: randomId(), analysisId: randomId(), ownerId: null, anonKeyHash: owner, title, sha256: "x", totalBytes: 10 });
    const busy = `busy-${randomId()}`;
    const quiet = `quiet-${randomId()}`;
    await app.jobs.create(app.prisma, {
      id: randomId(),
      analysisId: randomId(),
      ownerId: null,
      anonKeyHash: busy,
      title: "running",
      sha256: "x",
      totalBytes: 10,
      runningBy: { workerId: "elsewhere", leaseMs: 60_000, bytesRead: 0 },
    });
    await job(busy, "busy 1");
    await job(busy, "busy 2");
    await job(quiet, "quiet 1");
    const order: string[] = [];
    for (let i = 0; i < 3; i++) order.push((await app.jobs.claimNext("test-runner", 60_000))!.title);
    expect(order).toEqual(["quiet 1", "busy 1", "busy 2"]);
    await app.prisma.analysisJob.deleteMany({ where: { anonKeyHash: { in: [busy, quiet] } } });
  });
});
