import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { gzip } from "node:zlib";
import { promisify } from "node:util";
import type { JobStatus } from "@siplens/contracts";
import { MAX_UPLOAD_BYTES } from "@siplens/contracts";
import type { PrismaClient } from "@siplens/db";
import type { FastifyBaseLogger } from "fastify";
import type { AppConfig } from "../config/env.js";
import { badRequest } from "../errors.js";
import { createGzipChunker, gunzipPieces, rebatch, splitPieces } from "../lib/gzip-chunks.js";
import { isTransientDatabaseError, retryTransient } from "../lib/database-errors.js";
import { randomId, sha256Hex } from "../lib/ids.js";
import type { Gate } from "../lib/gate.js";
import { pgText } from "../lib/pg-text.js";
import type { Actor } from "../repositories/actor.js";
import { PARTS_VERSION, type AnalysesRepository, type AnalysisAccess } from "../repositories/analyses.js";
import type { InputsRepository } from "../repositories/inputs.js";
import { toJobStatus, type JobRow, type JobsRepository } from "../repositories/jobs.js";
import { AnalysisFailure, type AnalysisStream, type AnalysisWorkerPool, type Committed } from "../workers/pool.js";
import { httpErrorOfAnalysis } from "./analysis-errors.js";
import { followUpload } from "./follow-upload.js";
import { createOwnerLimits } from "./owner-limits.js";

const gzipAsync = promisify(gzip);

/**
 * Hard cap on what one analysis may read (gzip inflation included): what the worker's heap cap
 * holds, at ~450 MB of heap per 100 MB of dense SIP (apps/api/README.md), and never below an upload
 * at the limit. Past it the answer is a clear "too large", not a worker killed by its heap cap.
 */
function maxInputBytes(heapMb: number): number {
  return Math.max(MAX_UPLOAD_BYTES, Math.floor((heapMb * 1024 * 1024 * 100) / 450));
}

/** "done": the analysis is stored; "job": poll it. */
export type Submitted = { kind: "done"; analysisId: string } | { kind: "job"; job: JobStatus };

interface Deps {
  prisma: PrismaClient;
  analyses: AnalysesRepository;
  inputs: InputsRepository;
  jobs: JobsRepository;
  workers: { paste: AnalysisWorkerPool; bulk: AnalysisWorkerPool };
  config: AppConfig;
  log: FastifyBaseLogger;
  /** Bounds memory-heavy opens (a legacy re-analysis is one). */
  heavyWork: Gate;
}

const sleep = (ms: number) => new Promise<"waited">((resolve) => setTimeout(() => resolve("waited"), ms).unref());

/**
 * Turns accepted input into stored analyses. Small pastes are analysed and stored in one go; big
 * ones and uploads become jobs whose input is stored (compressed) before the client is told
 * "accepted", so a crash can delay an analysis but never lose it or leave half of it saved.
 *
 * Every instance runs the shared job table: it polls it (and is woken at once when it queued a
 * job itself), running at most ANALYSIS_WORKERS jobs at a time, and on stop hands back what it
 * was running so another instance (or its restart) takes it over.
 */
export function createJobRunner(d: Deps) {
  /** This process, as recorded in job leases. */
  const instanceId = `${hostname()}:${process.pid}:${randomId().slice(0, 6)}`;
  let stopping = false;
  /** Jobs this instance runs now (at most ANALYSIS_WORKERS), and whether a poll is under way. */
  let running = 0;
  let ticking = false;
  /** The poll in progress, so stop() can wait for a claim in flight. */
  let polling: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const MAX_INPUT_BYTES = maxInputBytes(d.config.ANALYSIS_MAX_HEAP_MB);
  // What one input may inflate to is its own limit: a 4 MB gzip bomb may not read as 450 MB.
  const UPLOAD_INPUT_BYTES = Math.min(d.config.UPLOAD_MAX_BYTES, MAX_INPUT_BYTES);
  const limits = createOwnerLimits(d);
  const owner = (actor: Actor) => ({ ownerId: actor.userId, anonKeyHash: actor.userId ? null : actor.anonKeyHash });
  const jobOwner = (actor: Actor) => ({ ...owner(actor), clientKey: actor.clientKey ?? null });
  /** Analyses in progress in this process, so shutdown can stop them and wait for their jobs to be handed back. */
  const active = new Map<string, { abort: () => void; settled: Promise<unknown> }>();
  /** Legacy analyses being re-analysed into parts, by id. */
  const upgrading = new Map<string, Promise<void>>();
  const track = (jobId: string, abort: () => void, work: Promise<unknown>) => {
    const settled = work.catch(() => undefined).finally(() => active.delete(jobId));
    active.set(jobId, { abort, settled });
    // Started while shutdown was already stopping the others (an upload that just arrived, a claim in flight).
    if (stopping) abort();
  };

  /**
   * Runs a job's analysis to its commit (analysis + findings + job "done" in one transaction, made
   * by the worker thread), renewing the lease meanwhile; on failure records it on the job.
   */
  async function finishJob(
    job: JobRow,
    analyseAndCommit: () => Promise<Committed>,
    progress: { bytes: number },
  ): Promise<"done" | "lost" | "retry" | "handed-back"> {
    const { config } = d;
    let beating = false; // one heartbeat at a time: a slow database must not pile them up
    const heartbeat = setInterval(
      () => {
        if (beating) return;
        beating = true;
        d.jobs
          .heartbeat(job.id, instanceId, progress.bytes, config.JOB_LEASE_MS)
          .catch((e: unknown) => d.log.warn({ err: e }, "job heartbeat failed"))
          .finally(() => (beating = false));
      },
      Math.max(250, Math.floor(config.JOB_LEASE_MS / 3)),
    );
    heartbeat.unref();
    try {
      const started = Date.now();
      const { committed, output, memory } = await analyseAndCommit();
      d.log.info(
        { jobId: job.id, inputBytes: output.inputBytes, messages: output.messageCount, calls: output.callCount, memory, ms: Date.now() - started },
        "job analysed and stored",
      );
      return committed ? "done" : "lost";
    } catch (error) {
      if (stopping) {
        // Shutting down: hand the job back so another instance (or our restart) analyses it at
        // once; its client is told to follow the job, not that it failed.
        await retryTransient(() => d.jobs.release(job.id, instanceId)).catch((e: unknown) =>
          d.log.warn({ err: e, jobId: job.id }, "could not hand a job back"),
        );
        return "handed-back";
      }
      if ((error instanceof AnalysisFailure && error.kind === "commit") || isTransientDatabaseError(error)) {
        // The trace was fine; the database failed while storing it (or reading its input). Keep
        // the input and leave the job leased: when the lease runs out it is taken over like a
        // crashed instance's job (attempts stay capped), so an accepted upload is never lost to a
        // database hiccup.
        d.log.error({ err: error, jobId: job.id }, "the database failed during the job; it will run again");
        return "retry";
      }
      const http = httpErrorOfAnalysis(error);
      if (!(error instanceof AnalysisFailure)) d.log.error({ err: error, jobId: job.id }, "job failed");
      await d.jobs.fail(job.id, instanceId, {
        code: http.code,
        message: http.statusCode >= 500 ? "the analysis stopped unexpectedly" : http.message,
        ...(http.extra.tried ? { tried: http.extra.tried } : {}),
      });
      // Nobody can use the input of a failed analysis: keep only the job's verdict (once it is recorded,
      // so a job whose verdict could not be written runs again from its input).
      await d.inputs.remove(job.analysisId).catch(() => undefined);
      throw http;
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function jobStatus(id: string): Promise<JobStatus> {
    return toJobStatus(await retryTransient(() => d.jobs.get(id)));
  }

  /** Analyses a claimed job from its stored input (large pastes, and uploads after a crash). */
  async function runJob(job: JobRow): Promise<void> {
    const progress = { bytes: 0 };
    let stream: AnalysisStream | null = null;
    const work = finishJob(
      job,
      async () => {
        // A large paste is read whole; an upload up to the upload limit (never by the heap-sized cap).
        stream = await d.workers.bulk.openStream(Math.max(job.totalBytes, UPLOAD_INPUT_BYTES), (n) => (progress.bytes = n));
        if (stopping) throw new AnalysisFailure("crashed", "shutting down");
        for await (const data of rebatch(gunzipPieces(d.inputs.pieces(job.analysisId)))) await stream.push(data);
        return stream.finishAndCommit({ kind: "job", jobId: job.id, workerId: instanceId });
      },
      progress,
    ).finally(() => stream?.abort());
    // Tracked from the claim on, so shutdown also waits for a job still waiting for a worker.
    track(job.id, () => stream?.abort(), work);
    await work;
  }

  /** Claims jobs while a worker is free: one poll at a time, however many kicks arrive meanwhile. */
  async function tick(): Promise<void> {
    if (ticking) return;
    ticking = true;
    try {
      while (!stopping && running < d.config.ANALYSIS_WORKERS) {
        const job = await d.jobs.claimNext(instanceId, d.config.JOB_LEASE_MS);
        if (!job) break;
        running++;
        d.log.info({ jobId: job.id, attempt: job.attempts }, "analysing job");
        runJob(job)
          .catch((err: unknown) => d.log.info({ jobId: job.id, err }, "job did not complete"))
          .finally(() => {
            running--;
            kick();
          });
      }
    } finally {
      ticking = false;
    }
  }

  /** Wakes the runner: a job was queued, or a worker became free. */
  function kick(): void {
    if (stopping || ticking) return;
    polling = tick().catch((err: unknown) => d.log.warn({ err }, "job runner could not poll"));
  }

  return {
    async analysePaste(text: string, title: string | undefined, actor: Actor): Promise<Submitted> {
      const bytes = Buffer.from(text, "utf8");
      await limits.admit(actor, bytes.length);
      const sha256 = sha256Hex(bytes);
      const name = title?.trim() || defaultTitle(text);
      const analysisId = randomId();
      const compressed = new Uint8Array(await gzipAsync(bytes));
      const pieces = splitPieces(compressed);

      if (bytes.length > d.config.PASTE_INLINE_MAX_BYTES) {
        const job = await d.prisma.$transaction(async (tx) => {
          for (const [seq, piece] of pieces.entries()) await d.inputs.storePiece(tx, analysisId, seq, piece);
          return d.jobs.create(tx, { id: randomId(), analysisId, ...jobOwner(actor), title: name, sha256, totalBytes: bytes.length });
        });
        kick();
        return { kind: "job", job: toJobStatus(job) };
      }

      try {
        // The worker stores input, analysis and parts in one transaction: a paste takes the same path as an upload.
        const analysis = { id: analysisId, ...owner(actor), title: name, sha256 };
        await d.workers.paste.analyzeTextAndStore(text, bytes.length, { kind: "new", analysis, inputPieces: pieces.map((p) => p.slice()) });
      } catch (error) {
        throw httpErrorOfAnalysis(error);
      }
      return { kind: "done", analysisId };
    },

    /**
     * Hashes, stores (gzip, in pieces) and analyses an upload while it streams in. When the body has
     * arrived the job is committed; the answer is the analysis if it is ready within UPLOAD_WAIT_MS,
     * else the job to poll.
     */
    async analyseUpload(source: AsyncIterable<Uint8Array>, title: string, actor: Actor): Promise<Submitted> {
      await limits.admit(actor); // before a byte is read, so a refused upload costs nothing
      const analysisId = randomId();
      const hash = createHash("sha256");
      const progress = { bytes: 0 };
      let received = 0;
      const follow = followUpload(d.workers.bulk, {
        maxInputBytes: UPLOAD_INPUT_BYTES,
        maxWaitMs: d.config.UPLOAD_SLOW_CLIENT_MS,
        onProgress: (n) => (progress.bytes = n),
      });
      const chunker = createGzipChunker((piece, seq) => retryTransient(() => d.inputs.storePiece(d.prisma, analysisId, seq, piece)));
      let stream: AnalysisStream | null = null;
      let job: JobRow;
      try {
        for await (const chunk of source) {
          follow.arrived();
          received += chunk.length;
          hash.update(chunk);
          if (failedFor(follow.failure, "not-a-trace")) continue; // read to the end, keep nothing
          await chunker.write(chunk);
          await follow.push(chunk);
          follow.waiting();
        }
        if (received === 0) throw badRequest("the file is empty");
        // The trace's own fault, or it hit a cap: answered now, never analysed again.
        if (failedFor(follow.failure, "not-a-trace", "too-large", "timeout", "out-of-memory")) throw httpErrorOfAnalysis(follow.failure);
        await chunker.end();
        await limits.admit(actor, received);
        stream = follow.finish();
        const newJob = {
          id: randomId(),
          analysisId,
          ...jobOwner(actor),
          title,
          sha256: hash.digest("hex"),
          totalBytes: received,
          ...(stream ? { runningBy: { workerId: instanceId, leaseMs: d.config.JOB_LEASE_MS, bytesRead: progress.bytes } } : {}),
        };
        // The input is stored: from here on the upload must not be lost to one dropped connection.
        job = await retryTransient(() => d.jobs.create(d.prisma, newJob));
      } catch (error) {
        // Whatever failed (the client, the database, the trace), the worker goes back and nothing is kept.
        follow.abort();
        stream?.abort();
        chunker.destroy();
        await d.inputs.remove(analysisId).catch(() => undefined);
        throw error;
      }
      if (!stream) {
        // No worker was free, the client was slow, or the worker crashed: the stored input goes through the queue.
        kick();
        return { kind: "job", job: toJobStatus(job) };
      }
      const analysing = stream;
      const finishing = finishJob(job, () => analysing.finishAndCommit({ kind: "job", jobId: job.id, workerId: instanceId }), progress).finally(() =>
        analysing.abort(),
      );
      track(job.id, () => analysing.abort(), finishing); // also: after a 202 the client learns failures by polling the job
      const first = await Promise.race([
        finishing.then(
          (r) => r,
          (e: unknown) => ({ error: e }),
        ),
        sleep(d.config.UPLOAD_WAIT_MS),
      ]);
      if (first === "done") return { kind: "done", analysisId };
      // "lost", "retry", "handed-back" or still running: the client follows the job.
      if (typeof first === "object") throw first.error;
      return { kind: "job", job: await jobStatus(job.id) };
    },

    /**
     * Makes sure a readable analysis is stored in parts: a legacy one (one whole result) is
     * re-analysed from its stored input, once (concurrent opens wait for the same run; another
     * instance doing the same finds it upgraded and writes nothing). Title, note, owner and shares stay.
     */
    ensureParts(analysis: AnalysisAccess): Promise<void> {
      if (analysis.partsVersion >= PARTS_VERSION) return Promise.resolve();
      const running = upgrading.get(analysis.id);
      if (running) return running;
      const work = d.heavyWork
        .run(async () => {
          const stream = await d.workers.bulk.openStream(MAX_INPUT_BYTES);
          try {
            for await (const data of rebatch(gunzipPieces(d.inputs.pieces(analysis.id)))) await stream.push(data);
            const { output, memory } = await stream.finishAndCommit({ kind: "upgrade", analysisId: analysis.id });
            d.log.info({ analysisId: analysis.id, calls: output.callCount, memory }, "legacy analysis stored in parts");
          } catch (error) {
            d.log.error({ err: error, analysisId: analysis.id }, "re-analysing a legacy analysis failed");
            throw httpErrorOfAnalysis(error);
          } finally {
            stream.abort();
          }
        })
        .finally(() => upgrading.delete(analysis.id));
      upgrading.set(analysis.id, work);
      return work;
    },

    kick,

    /** Polls the job table every JOB_POLL_MS from now on, starting at once. */
    start(): void {
      if (stopping || timer) return;
      timer = setInterval(kick, d.config.JOB_POLL_MS);
      timer.unref();
      kick();
    },

    /** Claims nothing more, stops every analysis of this instance and waits until their jobs are back in the queue. */
    async stop(): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      // A job claimed meanwhile is tracked by then; any tracked while these are stopped is handed back too, before the database closes.
      await polling;
      while (active.size) {
        const inProgress = [...active.values()];
        for (const { abort } of inProgress) abort();
        await Promise.all(inProgress.map((r) => r.settled));
      }
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

function failedFor(failure: unknown, ...kinds: AnalysisFailure["kind"][]): failure is AnalysisFailure {
  return failure instanceof AnalysisFailure && kinds.includes(failure.kind);
}

/** "INVITE sip:bob@… (12 lines)" is more useful in a list than "Untitled". */
function defaultTitle(text: string): string {
  const firstSip = /^(?:[A-Z]+ sip:[^\s]+|SIP\/2\.0 \d{3}[^\r\n]*)/m.exec(text)?.[0];
  const base = pgText(firstSip ?? "Pasted trace");
  return base.length > 80 ? `${base.slice(0, 77)}…` : base;
}
