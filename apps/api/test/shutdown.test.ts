import type { ChildProcess } from "node:child_process";
import { request } from "node:http";
import { createPrismaClient, type PrismaClient } from "@siplens/db";
import { createTestDatabase, type TestDatabase } from "@siplens/db/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { answerOf, cookieOf, get, startServer, type Answer } from "./server-process.js";
import { syntheticTrace } from "./synthetic-trace.js";

/**
 * SIGTERM while uploads are in flight, on the real process (the built server, as `npm start` runs
 * it): every client gets a whole HTTP answer, the process exits promptly, nothing is half-written,
 * and a job it was analysing is handed back so the next start finishes it at once (not after its lease).
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const EXIT_BOUND_MS = 5_000;
/** The lease a crashed instance's job would wait out; a handed-back job must be claimed well before. */
const LEASE_MS = 30_000;
const serverEnv = {
  JOB_LEASE_MS: String(LEASE_MS),
  // The fast upload waits for its analysis: the signal finds it mid-analysis, not answered 202 already.
  UPLOAD_WAIT_MS: "120000",
};

/**
 * A multipart upload over a socket of its own. `trickle` sends the first bytes at once and the rest
 * in small pieces with pauses (a slow link); like curl, it stops sending once an answer arrives.
 */
function upload(port: number, file: Buffer, name: string, trickle?: { firstBytes: number; pieceBytes: number; everyMs: number }) {
  const boundary = `----siplens${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const body = Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  let sent = 0;
  let answered = false;
  let markSent: () => void = () => undefined;
  const bodySent = new Promise<void>((resolve) => (markSent = resolve));
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const answer = new Promise<Answer>((resolve) => {
    let settled = false;
    const settle = (a: Answer) => {
      if (settled) return;
      settled = true;
      answered = true;
      resolve(a);
      req.destroy();
    };
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `/api/analyses/upload?title=${encodeURIComponent(name)}`,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(body.length) },
      },
      (res) => answerOf(res, settle),
    );
    req.on("error", (e) => settle({ status: 0, headers: {}, body: "", complete: false, error: e.message, setCookie: [] }));
    const write = (piece: Buffer) => new Promise<void>((done) => (req.write(piece) ? done() : req.once("drain", done)));
    void (async () => {
      const first = trickle ? trickle.firstBytes : body.length;
      await write(body.subarray(0, first));
      sent = first;
      markStarted();
      while (trickle && sent < body.length && !answered) {
        await sleep(trickle.everyMs);
        if (answered) break;
        await write(body.subarray(sent, sent + trickle.pieceBytes));
        sent += Math.min(trickle.pieceBytes, body.length - sent);
      }
      if (!answered) req.end();
      markSent();
    })();
  });
  return { answer, started, bodySent, sentBytes: () => sent, totalBytes: body.length };
}

describe("SIGTERM during uploads (the built server as a process)", () => {
  let own: TestDatabase;
  let prisma: PrismaClient;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    own = await createTestDatabase("api_shutdown", { databaseUrl: inject("databaseUrl") });
    prisma = createPrismaClient(own.url, { maxConnections: 2 });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await prisma?.$disconnect();
    await own?.drop();
  });

  it(
    "answers every upload in full, exits promptly, writes nothing half, and the next start finishes the handed-back job at once",
    { timeout: 240_000 },
    async () => {
      const first = await startServer(own.url, serverEnv);
      children.push(first.child);

      // ~6 MB, analysed while it arrives; ~3 MB trickled at 8 KB per 100 ms (half a minute to arrive).
      const fast = upload(first.port, Buffer.from(syntheticTrace(3000)), "fast.sngrep.txt");
      const slow = upload(first.port, Buffer.from(syntheticTrace(1500)), "trickled.sngrep.txt", { firstBytes: 512 * 1024, pieceBytes: 8 * 1024, everyMs: 100 });
      await Promise.all([fast.bodySent, slow.started]);
      // The signal comes once the server has the whole fast body (its job exists) and is analysing it.
      while (!(await prisma.analysisJob.count({ where: { title: "fast.sngrep.txt" } }))) await sleep(20);
      expect(slow.sentBytes()).toBeLessThan(slow.totalBytes);

      const signalledAt = Date.now();
      first.child.kill("SIGTERM");
      const [fastAnswer, slowAnswer] = await Promise.all([fast.answer, slow.answer]);
      const exit = await Promise.race([first.exited, sleep(EXIT_BOUND_MS * 2).then(() => null)]);
      const exitMs = Date.now() - signalledAt;
      const log = first.log.join("");

      // Whole answers, no cut connection.
      for (const a of [fastAnswer, slowAnswer]) {
        expect(a.error, log).toBeNull();
        expect(a.complete, log).toBe(true);
      }
      // The body still arriving is handed back: a clear 503 to retry.
      expect(slowAnswer.status, slowAnswer.body).toBe(503);
      expect(Number(slowAnswer.headers["retry-after"])).toBeGreaterThan(0);
      expect(JSON.parse(slowAnswer.body)).toMatchObject({ error: "unavailable" });
      // The upload being analysed is handed back as its job (202), not failed.
      expect(fastAnswer.status, fastAnswer.body).toBe(202);
      const jobId = (JSON.parse(fastAnswer.body) as { job: { id: string } }).job.id;

      expect(exit, log).not.toBeNull();
      expect(exit?.code, log).toBe(0);
      expect(exitMs).toBeLessThan(EXIT_BOUND_MS);

      // Nothing half-written: no analysis row, nothing kept of the refused upload, and no lease left behind.
      expect(await prisma.analysis.count()).toBe(0);
      expect(await prisma.analysisJob.count({ where: { title: "trickled.sngrep.txt" } })).toBe(0);
      const job = await prisma.analysisJob.findUniqueOrThrow({ where: { id: jobId } });
      expect(job).toMatchObject({ status: "queued", lockedBy: null, attempts: 0 });
      const jobs = await prisma.analysisJob.findMany({ select: { analysisId: true } });
      const inputOwners = await prisma.analysisInputChunk.findMany({ distinct: ["analysisId"], select: { analysisId: true } });
      expect(inputOwners.map((r) => r.analysisId)).toEqual([job.analysisId]);
      expect(jobs.map((j) => j.analysisId)).toEqual([job.analysisId]);

      // The next start claims the job at once (a lease left behind would make it wait LEASE_MS) and finishes it.
      const second = await startServer(own.url, serverEnv);
      children.push(second.child);
      const readyAt = Date.now();
      let claimedMs: number | null = null;
      let status = "queued";
      while (Date.now() - readyAt < 120_000) {
        const polled = await get(second.port, `/api/jobs/${jobId}`, cookieOf(fastAnswer));
        expect(polled.status).toBe(200);
        status = (JSON.parse(polled.body) as { status: string }).status;
        if (status !== "queued" && claimedMs === null) claimedMs = Date.now() - readyAt;
        if (status === "done" || status === "failed") break;
        await sleep(100);
      }
      console.info(`shutdown: exited ${exitMs} ms after SIGTERM; the next start claimed the handed-back job after ${claimedMs} ms`);
      expect(status, second.log.join("")).toBe("done");
      expect(claimedMs).not.toBeNull();
      expect(claimedMs!).toBeLessThan(LEASE_MS / 6);
      const opened = await get(second.port, `/api/analyses/${job.analysisId}`, cookieOf(fastAnswer));
      expect(opened.status).toBe(200);
      const stored = await prisma.analysis.findUniqueOrThrow({ where: { id: job.analysisId }, select: { callCount: true } });
      expect(await prisma.analysisCall.count({ where: { analysisId: job.analysisId } })).toBe(stored.callCount);

      second.child.kill("SIGTERM");
      expect((await second.exited).code).toBe(0);
    },
  );
});
