import { createPrismaClient, type PrismaClient } from "@siplens/db";
import { createAnalysesRepository } from "../plugins/app/analyses-repository.js";
import { createJobsRepository } from "../plugins/app/jobs-repository.js";
import type { AnalysisOutput } from "./protocol.js";

let prisma: PrismaClient | null = null;

/**
 * Commits a job's analysis from inside the worker thread: a 200 MB capture gives a result of
 * tens of MB even compressed, and handing it to the database costs CPU the API's event loop
 * must not spend. Same transaction as everywhere: analysis + findings + job "done", or nothing.
 */
export async function commitJob(databaseUrl: string, jobId: string, workerId: string, output: AnalysisOutput): Promise<boolean> {
  prisma ??= createPrismaClient(databaseUrl, { maxConnections: 2 });
  const analyses = createAnalysesRepository(prisma);
  const committed = await createJobsRepository(prisma).complete(jobId, workerId, async (tx, job) => {
    await analyses.insert(tx, { id: job.analysisId, ownerId: job.ownerId, anonKeyHash: job.anonKeyHash, title: job.title, sha256: job.sha256, output });
  });
  return committed !== null;
}
