import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Browser, buildApp, fixture, waitForJob, until } from "./helper.js";

const pcap = fixture("S1a_caller_hangup_direct_udp.pcap");
const text = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");
const injected = () => new Error("injected database failure");

/**
 * Every path that takes an analysis worker gives it back, whatever fails on the way: with one
 * upload worker, a single leaked worker would stop every later upload, large paste and legacy open.
 */
describe("analysis workers are given back on every path", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({
      ANALYSIS_WORKERS: "1",
      RATE_LIMIT_ANALYSES_MAX: "1000",
      RATE_LIMIT_MAX: "10000",
      JOB_LEASE_MS: "1000",
      PASTE_INLINE_MAX_BYTES: "8192",
    });
    // Jobs left by earlier files would take the one worker: these tests count on it being free.
    await app.prisma.analysisJob.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "failed", lockedBy: null } });
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => app.close());

  const idleAgain = () => until(() => app.workers.bulk.stats.busy === 0);
  async function laterUploadWorks(browser = new Browser(app)) {
    await idleAgain();
    const res = await browser.upload("/api/analyses/upload", pcap, "after.pcap");
    expect(res.statusCode).toBe(201);
  }

  it("a U+0000 in an upload's title twice in a row, then uploads still work", async () => {
    const browser = new Browser(app);
    for (let i = 0; i < 2; i++) {
      const res = await browser.upload("/api/analyses/upload?title=bad%00title", pcap, "s1a.pcap");
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.json()).toHaveProperty("message");
      expect(app.workers.bulk.stats.busy).toBe(0);
    }
    await laterUploadWorks(browser);
  });

  it("the job row cannot be created (database error)", async () => {
    const create = vi.spyOn(app.jobs, "create").mockRejectedValue(injected());
    const browser = new Browser(app);
    for (let i = 0; i < 2; i++) {
      const res = await browser.upload("/api/analyses/upload", pcap, "s1a.pcap");
      expect(res.statusCode).toBe(500);
      expect(app.workers.bulk.stats.busy).toBe(0);
    }
    expect(create).toHaveBeenCalledTimes(2);
    create.mockRestore();
    // Nothing of the failed uploads is kept.
    await laterUploadWorks(browser);
  });

  it("storing a piece of the input fails while the body arrives", async () => {
    vi.spyOn(app.inputs, "storePiece").mockRejectedValueOnce(injected());
    const res = await new Browser(app).upload("/api/analyses/upload", pcap, "s1a.pcap");
    expect(res.statusCode).toBe(500);
    await laterUploadWorks();
  });

  it("reading the job's status after the analysis started fails", async () => {
    const quick = await buildApp({ ANALYSIS_WORKERS: "1", UPLOAD_WAIT_MS: "0" });
    try {
      const jobs = quick.prisma.analysisJob;
      const spy = vi.spyOn(jobs, "findUniqueOrThrow").mockRejectedValueOnce(injected());
      const res = await new Browser(quick).upload("/api/analyses/upload", pcap, "s1a.pcap");
      expect(spy).toHaveBeenCalled();
      expect(res.statusCode).toBe(500);
      await until(() => quick.workers.bulk.stats.busy === 0);
      const after = await new Browser(quick).upload("/api/analyses/upload", pcap, "after.pcap");
      expect(after.statusCode).toBe(202);
    } finally {
      await quick.close();
    }
  });

  it("recording a failed analysis fails too: the job is retried and fails, the worker comes back", async () => {
    const fail = vi.spyOn(app.jobs, "fail").mockRejectedValueOnce(injected());
    const browser = new Browser(app);
    const res = await browser.post("/api/analyses", { text: "definitely not a trace\n".repeat(1000) });
    expect(res.statusCode).toBe(202);
    const settled = await waitForJob(browser, res.json<{ job: { id: string } }>().job.id);
    expect(settled.job).toMatchObject({ status: "failed", error: { error: "not-a-trace" } });
    expect(fail).toHaveBeenCalledTimes(2);
    await laterUploadWorks(browser);
  });

  it("answering with the stored analysis fails after the commit", async () => {
    vi.spyOn(app.analyses, "detailJson").mockRejectedValueOnce(injected());
    const res = await new Browser(app).upload("/api/analyses/upload", pcap, "s1a.pcap");
    expect(res.statusCode).toBe(500);
    await laterUploadWorks();
  });

  it("a queued job whose stored input cannot be read", async () => {
    const browser = new Browser(app);
    vi.spyOn(app.inputs, "pieces").mockImplementationOnce(async function* () {
      yield* [];
      throw injected();
    });
    const big = `${text}\n`.repeat(Math.ceil((app.config.PASTE_INLINE_MAX_BYTES + 1) / text.length));
    const res = await browser.post("/api/analyses", { text: big });
    expect(res.statusCode).toBe(202);
    const settled = await waitForJob(browser, res.json<{ job: { id: string } }>().job.id);
    expect(settled.job).toMatchObject({ status: "failed" });
    await laterUploadWorks(browser);
  });
});
