import { PassThrough } from "node:stream";
import { gzipSync } from "node:zlib";
import { analysisDetailSchema, errorBodySchema } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../src/lib/ids.js";
import { Browser, buildApp, fixture, multipartBody, until } from "./helper.js";

const pcap = fixture("S1a_caller_hangup_direct_udp.pcap");
const pcapng = fixture("S3_fork_caller_cancels_all_branches_487.pcapng");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A multipart upload whose bytes are sent `every` ms, `size` bytes at a time, like a slow client;
 * after `holdAfter` bytes it sends a byte a second until `resume` settles (or, without one, nothing more).
 */
async function trickle(app: FastifyInstance, file: Buffer, opts: { size: number; every: number; holdAfter?: number; resume?: Promise<unknown> }) {
  const { body, contentType } = await multipartBody(file, "slow.pcapng");
  const stream = new PassThrough();
  const response = app.inject({ method: "POST", url: "/api/analyses/upload", headers: { "content-type": contentType }, payload: stream });
  void (async () => {
    let at = 0;
    const send = async (size: number, wait: number) => {
      stream.write(body.subarray(at, at + size));
      at += size;
      await sleep(wait);
    };
    while (at < body.length && (opts.holdAfter === undefined || at < opts.holdAfter)) await send(opts.size, opts.every);
    if (opts.holdAfter !== undefined) {
      if (!opts.resume) return; // the client goes quiet, never ends
      let resumed = false;
      void opts.resume.then(() => (resumed = true));
      while (!resumed) await send(1, 1000); // a byte a second
    }
    while (at < body.length) await send(opts.size, opts.every);
    stream.end();
  })();
  return response;
}

describe("slow uploads and capped analyses", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({
      ANALYSIS_WORKERS: "1",
      UPLOAD_SLOW_CLIENT_MS: "1500",
      UPLOAD_IDLE_MS: "4000",
      UPLOAD_BODY_MS: "180000",
      RATE_LIMIT_ANALYSES_MAX: "1000",
    });
    await app.prisma.analysisJob.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "failed", lockedBy: null } });
  });
  afterAll(async () => app.close());

  it("two clients trickling bytes do not hold the upload workers: a third upload is analysed meanwhile", async () => {
    let resume!: () => void;
    const resumed = new Promise<void>((r) => (resume = r));
    const slow = [0, 1].map(() => trickle(app, pcapng, { size: 1024, every: 20, holdAfter: 8192, resume: resumed }));
    // Both are still sending (half their bytes are in), yet the worker goes back once it had waited 1.5 s for them.
    await until(() => app.workers.bulk.stats.busy === 1);
    await until(() => app.workers.bulk.stats.busy === 0 && app.workers.bulk.stats.waiting === 0);
    await sleep(500);
    expect(app.workers.bulk.stats.busy).toBe(0);
    const fast = await new Browser(app).upload("/api/analyses/upload", pcap, "fast.pcap");
    expect(fast.statusCode).toBe(201);
    resume();
    // The slow ones were stored as they arrived and are analysed from storage by the queue.
    for (const res of await Promise.all(slow)) {
      expect(res.statusCode).toBe(202);
      const job = res.json<{ job: { id: string } }>().job;
      const row = await app.prisma.analysisJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(row.totalBytes).toBe(pcapng.length);
      expect(["queued", "running", "done"]).toContain(row.status);
    }
  }, 180_000);

  it("a client that stops sending is answered 408 and nothing of it is kept", async () => {
    const chunksBefore = await app.prisma.analysisInputChunk.count();
    const res = await trickle(app, pcapng, { size: 2048, every: 20, holdAfter: 8192 });
    expect(res.statusCode).toBe(408);
    expect(errorBodySchema.parse(res.json())).toEqual({ error: "request-timeout", message: "the upload stopped: no data arrived for 4 s" });
    expect(app.workers.bulk.stats.busy).toBe(0);
    expect(await app.prisma.analysisInputChunk.count()).toBe(chunksBefore);
  });

  it("a body that takes longer than the upload time limit is answered 408", async () => {
    const short = await buildApp({ UPLOAD_BODY_MS: "800", UPLOAD_IDLE_MS: "5000" });
    try {
      const res = await trickle(short, pcapng, { size: 256, every: 20 });
      expect(res.statusCode).toBe(408);
      expect(errorBodySchema.parse(res.json()).message).toBe("the upload took longer than 0.8 s; send it over a faster link or make it smaller");
    } finally {
      await short.close();
    }
  });

  it("an analysis that hit its time cap is answered and never run again", async () => {
    const capped = await buildApp({ ANALYSIS_TIMEOUT_MS: "1000", UPLOAD_SLOW_CLIENT_MS: "60000", JOB_POLL_MS: "100" });
    try {
      const half = Math.floor(pcap.length / 2);
      // The worker's clock runs out while the upload is being analysed.
      async function* source() {
        yield pcap.subarray(0, half);
        await sleep(1500);
        yield pcap.subarray(half);
      }
      const error = await capped.jobRunner.analyseUpload(source(), "capped", { userId: null, anonKeyHash: "capped-browser" }).catch((e: unknown) => e);
      expect(error).toMatchObject({ statusCode: 422, code: "analysis-failed", message: "the analysis took longer than 1 s" });
      await sleep(1000);
      // Not queued for a second run: no job, no stored input, no worker busy.
      expect(await capped.prisma.analysisJob.count({ where: { anonKeyHash: "capped-browser" } })).toBe(0);
      expect(capped.workers.bulk.stats.busy).toBe(0);
    } finally {
      await capped.close();
    }
  });
});

describe("gzip input is capped by the input's own limit", () => {
  let app: FastifyInstance;
  const LIMIT = 64 * 1024;
  beforeAll(async () => {
    app = await buildApp({ UPLOAD_MAX_BYTES: String(LIMIT), RATE_LIMIT_ANALYSES_MAX: "1000" });
  });
  afterAll(async () => app.close());

  it("a small gzip that inflates past the upload limit is read only up to the limit", async () => {
    const capture = fixture("S3_fork_caller_cancels_all_branches_487.pcapng");
    const inflated = Buffer.concat(Array.from({ length: Math.ceil((LIMIT * 16) / capture.length) }, () => capture));
    const bomb = gzipSync(inflated, { level: 9 });
    expect(bomb.length).toBeLessThan(LIMIT);
    const res = await new Browser(app).upload("/api/analyses/upload", bomb, "bomb.pcapng.gz");
    expect(res.statusCode).toBe(201);
    const detail = analysisDetailSchema.parse(res.json());
    expect(detail.sha256).toBe(sha256Hex(bomb));
    expect(detail.overview.problems.some((p) => p.message === `gzip content exceeds the ${LIMIT}-byte limit; the rest was not read`)).toBe(true);
  });
});
