import type { Prisma, PrismaClient } from "@siplens/db";
import { retryTransient } from "../lib/database-errors.js";

type Db = PrismaClient | Prisma.TransactionClient;

/** The raw inputs, gzip-compressed, stored as ordered pieces under the analysis id. */
export function createInputsRepository(prisma: PrismaClient) {
  return {
    /** Idempotent, so a write whose answer was lost with its connection can simply be made again. */
    async storePiece(db: Db, analysisId: string, seq: number, data: Uint8Array): Promise<void> {
      await db.analysisInputChunk.createMany({ data: [{ analysisId, seq, data: new Uint8Array(data) }], skipDuplicates: true });
    },

    /** Reads the pieces one at a time, so replaying a big upload never holds it whole. */
    async *pieces(analysisId: string): AsyncGenerator<Uint8Array> {
      for (let seq = 0; ; seq++) {
        const row = await retryTransient(() =>
          prisma.analysisInputChunk.findUnique({ where: { analysisId_seq: { analysisId, seq } }, select: { data: true } }),
        );
        if (!row) return;
        yield row.data;
      }
    },

    async remove(analysisId: string): Promise<void> {
      await prisma.analysisInputChunk.deleteMany({ where: { analysisId } });
    },

    /** Pieces of uploads that never became an analysis nor a live job (aborted uploads, crashes). */
    async purgeOrphans(olderThan: Date): Promise<number> {
      return prisma.$executeRaw`
        DELETE FROM analysis_input_chunk c
        WHERE c.created_at < ${olderThan}
          AND NOT EXISTS (SELECT 1 FROM analysis a WHERE a.id = c.analysis_id)
          AND NOT EXISTS (SELECT 1 FROM analysis_job j WHERE j.analysis_id = c.analysis_id AND j.status IN ('queued', 'running'))`;
    },
  };
}

export type InputsRepository = ReturnType<typeof createInputsRepository>;
