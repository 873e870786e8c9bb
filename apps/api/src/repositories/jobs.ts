import type { ErrorCode, JobState, JobStatus } from "@siplens/contracts";
import type { Prisma, PrismaClient } from "@siplens/db";
import { pgText } from "../lib/pg-text.js";
import { ownedBy, type Actor } from "./actor.js";
import { jobErrorCodeColumn, jobStateColumn, storedJobErrorCode } from "./columns.js";

/** Transaction limits for storing an analysis: a big capture's parts take a while to write (a busy machine is slow). */
export const STORE_TIMEOUT = { timeout: 5 * 60_000, maxWait: 30_000 };

/** Attempts after which a job whose runner keeps dying is given up. */
const MAX_JOB_ATTEMPTS = 3;

export interface JobRow {
  id: string;
  analysisId: string;
  status: JobState;
  ownerId: string | null;
  anonKeyHash: string | null;
  title: string;
  sha256: string;
  totalBytes: number;
  bytesRead: number;
  attempts: number;
  lockedBy: string | null;
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  errorTried: string[];
}

export interface NewJob {
  id: string;
  analysisId: string;
  ownerId: string | null;
  anonKeyHash: string | null;
  /** The client's address, keyed (Actor.clientKey). */
  clientKey?: string | null;
  title: string;
  sha256: string;
  totalBytes: number;
  /** Set when this instance is already analysing it (the upload path): the job starts leased. */
  runningBy?: { workerId: string; leaseMs: number; bytesRead: number };
}

/** A job row as stored, its status and error code checked against the contracts. */
type StoredJob = Omit<JobRow, "status" | "errorCode"> & { status: string; errorCode: string | null };

function toJobRow<R extends StoredJob>(row: R): Omit<R, "status" | "errorCode"> & Pick<JobRow, "status" | "errorCode"> {
  return { ...row, status: jobStateColumn(row.status), errorCode: row.errorCode === null ? null : storedJobErrorCode(row.errorCode) };
}

const jobRowOrNull = <R extends StoredJob>(row: R | null) => (row ? toJobRow(row) : null);

export function toJobStatus(job: JobRow): JobStatus {
  return {
    id: job.id,
    status: job.status,
    bytesRead: Math.min(job.bytesRead, job.totalBytes),
    totalBytes: job.totalBytes,
    analysisId: job.status === "done" ? job.analysisId : null,
    error:
      job.status === "failed"
        ? {
            error: job.errorCode ?? "analysis-failed",
            message: job.errorMessage ?? "the analysis failed",
            ...(job.errorTried.length ? { tried: job.errorTried } : {}),
          }
        : null,
  };
}

/** A Postgres-backed job queue: any API instance claims work with FOR UPDATE SKIP LOCKED. */
export function createJobsRepository(prisma: PrismaClient) {
  return {
    /** Idempotent (an existing job of the same id is returned as it is), so it may be retried. */
    async create(db: PrismaClient | Prisma.TransactionClient, job: NewJob, now = new Date()): Promise<JobRow> {
      const { runningBy, ...fields } = job;
      const status: JobState = runningBy ? "running" : "queued";
      const row = await db.analysisJob.upsert({
        where: { id: job.id },
        update: {},
        create: {
          ...fields,
          status,
          bytesRead: runningBy?.bytesRead ?? 0,
          attempts: runningBy ? 1 : 0,
          lockedBy: runningBy?.workerId ?? null,
          lockedUntil: runningBy ? new Date(now.getTime() + runningBy.leaseMs) : null,
        },
      });
      return toJobRow(row);
    },

    async find(id: string, actor: Actor): Promise<JobRow | null> {
      return jobRowOrNull(await prisma.analysisJob.findFirst({ where: { id, ...ownedBy(actor) } }));
    },

    /** Any job by id, whoever owns it (the runner reporting on a job it just ran); throws when there is none. */
    async get(id: string): Promise<JobRow> {
      return toJobRow(await prisma.analysisJob.findUniqueOrThrow({ where: { id } }));
    },

    /** Queued or running jobs of one owner, and their input bytes: analyses it will have, waiting for the workers. */
    async pendingOf(
      owner: { ownerId: string } | { ownerId: null; anonKeyHash: string } | { ownerId: null; clientKey: string },
    ): Promise<{ jobs: number; bytes: number }> {
      const r = await prisma.analysisJob.aggregate({
        where: { status: { in: ["queued", "running"] satisfies JobState[] }, ...owner },
        _count: { _all: true },
        _sum: { totalBytes: true },
      });
      return { jobs: r._count._all, bytes: r._sum.totalBytes ?? 0 };
    },

    /**
     * Takes a job that is queued or whose runner stopped renewing its lease: first of the owners with
     * the fewest jobs running, oldest first among those, so one owner's backlog never starves another's.
     * Anonymous jobs count per client address, not per browser key: new cookies buy no bigger share.
     */
    async claimNext(workerId: string, leaseMs: number): Promise<JobRow | null> {
      const rows = await prisma.$queryRaw<Array<{ id: string }>>`
        UPDATE analysis_job SET status = 'running', locked_by = ${workerId},
               locked_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = attempts + 1, updated_at = now()
        WHERE id = (
          SELECT j.id FROM analysis_job j
          WHERE (j.status = 'queued' OR (j.status = 'running' AND j.locked_until < now())) AND j.attempts < ${MAX_JOB_ATTEMPTS}
          ORDER BY (SELECT count(*) FROM analysis_job r
                    WHERE r.status = 'running' AND r.locked_until >= now()
                      AND coalesce(r.owner_id, r.client_key, r.anon_key_hash, '') = coalesce(j.owner_id, j.client_key, j.anon_key_hash, '')),
                   j.created_at
          FOR UPDATE SKIP LOCKED
          LIMIT 1)
        RETURNING id`;
      const id = rows[0]?.id;
      return id ? jobRowOrNull(await prisma.analysisJob.findUnique({ where: { id } })) : null;
    },

    /**
     * Renews the lease and records progress; false when another instance has taken the job over,
     * or while the job's commit holds its row (SKIP LOCKED: a heartbeat never waits for a commit).
     */
    async heartbeat(id: string, workerId: string, bytesRead: number, leaseMs: number): Promise<boolean> {
      const count = await prisma.$executeRaw`
        UPDATE analysis_job SET bytes_read = ${bytesRead}, locked_until = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
        WHERE id IN (SELECT id FROM analysis_job WHERE id = ${id} AND locked_by = ${workerId} AND status = 'running' FOR UPDATE SKIP LOCKED)`;
      return count > 0;
    },

    /**
     * Runs `commit` in one transaction with the job row locked, then marks the job done; nothing is
     * written if another instance took the job over meanwhile. Returns the job as committed.
     */
    async complete(id: string, workerId: string, commit: (tx: Prisma.TransactionClient, job: JobRow) => Promise<void>): Promise<JobRow | null> {
      return prisma.$transaction(async (tx) => {
        const locked = await tx.$queryRaw<Array<{ id: string }>>`
            SELECT id FROM analysis_job WHERE id = ${id} AND locked_by = ${workerId} AND status = 'running' FOR UPDATE`;
        if (!locked.length) return null;
        const job = toJobRow(await tx.analysisJob.findUniqueOrThrow({ where: { id } }));
        await commit(tx, job);
        const done = await tx.analysisJob.update({
          where: { id },
          data: { status: "done" satisfies JobState, bytesRead: job.totalBytes, lockedBy: null, lockedUntil: null, finishedAt: new Date() },
        });
        return toJobRow(done);
      }, STORE_TIMEOUT);
    },

    async fail(id: string, workerId: string, error: { code: ErrorCode; message: string; tried?: string[] }): Promise<void> {
      await prisma.analysisJob.updateMany({
        where: { id, lockedBy: workerId, status: "running" satisfies JobState },
        data: {
          status: "failed" satisfies JobState,
          errorCode: jobErrorCodeColumn(error.code),
          errorMessage: pgText(error.message),
          errorTried: error.tried ?? [],
          lockedBy: null,
          lockedUntil: null,
          finishedAt: new Date(),
        },
      });
    },

    /** Gives a job back to the queue (e.g. this instance is shutting down mid-analysis). */
    async release(id: string, workerId: string): Promise<void> {
      await prisma.analysisJob.updateMany({
        where: { id, lockedBy: workerId, status: "running" satisfies JobState },
        data: { status: "queued" satisfies JobState, lockedBy: null, lockedUntil: null, attempts: { decrement: 1 } },
      });
    },

    /** Jobs whose runners kept dying are failed; finished jobs are forgotten after a week. */
    async tidy(now = new Date()): Promise<void> {
      await prisma.analysisJob.updateMany({
        where: { status: "running" satisfies JobState, lockedUntil: { lt: now }, attempts: { gte: MAX_JOB_ATTEMPTS } },
        data: {
          status: "failed" satisfies JobState,
          errorCode: "analysis-failed" satisfies ErrorCode,
          errorMessage: "the analysis stopped repeatedly; try a smaller trace",
          finishedAt: now,
        },
      });
      await prisma.analysisJob.deleteMany({
        where: { status: { in: ["done", "failed"] satisfies JobState[] }, finishedAt: { lt: new Date(now.getTime() - 7 * 24 * 3600 * 1000) } },
      });
    },
  };
}

export type JobsRepository = ReturnType<typeof createJobsRepository>;
