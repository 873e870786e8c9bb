import type { ResultParts } from "@siplens/analysis";
import { createPrismaClient, type PrismaClient } from "@siplens/db";
import { createAnalysesRepository } from "../repositories/analyses.js";
import { createInputsRepository } from "../repositories/inputs.js";
import { createJobsRepository, STORE_TIMEOUT } from "../repositories/jobs.js";
import { retryTransient } from "../lib/database-errors.js";
import type { AnalysisOutput, CommitTarget } from "./protocol.js";
import { gzipJson, writeParts } from "./store-parts.js";

let prisma: PrismaClient | null = null;

export function outputOf(parts: ResultParts): AnalysisOutput {
  const o = parts.overview;
  return {
    format: o.format,
    formatName: o.formatName,
    inputBytes: o.inputBytes,
    messageCount: o.messageCount,
    callCount: o.callCount,
    findingCount: parts.findings.length,
  };
}

/**
 * Stores a finished analysis from inside the worker thread: its parts are compressed and written
 * here, a batch at a time, so they never cross the API's event loop. One transaction per target:
 * the analysis row, its parts (and the job "done", or the paste's input) land together or not at all.
 * Returns false when there was nothing to do (the job belongs to another instance now; the legacy
 * analysis was upgraded meanwhile or deleted).
 */
export async function commitAnalysis(databaseUrl: string, target: CommitTarget, parts: ResultParts): Promise<boolean> {
  prisma ??= createPrismaClient(databaseUrl, { maxConnections: 2 });
  const db = prisma;
  let tried = false;
  // Each try is one transaction: a failed one left nothing behind, so it is simply made again.
  return retryTransient(async () => {
    try {
      return await commitOnce(db, target, parts);
    } catch (error) {
      // The earlier try's COMMIT went through but its answer was lost with the connection.
      if (tried && target.kind === "new" && isUniqueViolation(error)) return true;
      throw error;
    } finally {
      tried = true;
    }
  });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "P2002";
}

async function commitOnce(db: PrismaClient, target: CommitTarget, parts: ResultParts): Promise<boolean> {
  const analyses = createAnalysesRepository(db);
  const output = outputOf(parts);
  const overviewGz = gzipJson(parts.overview);
  switch (target.kind) {
    case "job": {
      const committed = await createJobsRepository(db).complete(target.jobId, target.workerId, async (tx, job) => {
        const meta = { id: job.analysisId, ownerId: job.ownerId, anonKeyHash: job.anonKeyHash, title: job.title, sha256: job.sha256 };
        await analyses.insert(tx, { ...meta, output, overviewGz });
        await writeParts(tx, job.analysisId, parts);
      });
      return committed !== null;
    }
    case "new": {
      const inputs = createInputsRepository(db);
      await db.$transaction(async (tx) => {
        for (const [seq, piece] of target.inputPieces.entries()) await inputs.storePiece(tx, target.analysis.id, seq, piece);
        await analyses.insert(tx, { ...target.analysis, output, overviewGz });
        await writeParts(tx, target.analysis.id, parts);
      }, STORE_TIMEOUT);
      return true;
    }
    case "upgrade":
      return db.$transaction(async (tx) => {
        if (!(await analyses.lockLegacy(tx, target.analysisId))) return false;
        // Parts of an older PARTS_VERSION (and legacy finding rows, which carry no Finding) give way to the re-analysis's.
        const of = { where: { analysisId: target.analysisId } };
        await tx.analysisFinding.deleteMany(of);
        await tx.analysisCall.deleteMany(of);
        await tx.analysisMessageBlock.deleteMany(of);
        await writeParts(tx, target.analysisId, parts);
        await analyses.markParts(tx, target.analysisId, output, overviewGz);
        return true;
      }, STORE_TIMEOUT);
  }
}
