import type { PrismaClient } from "./generated/prisma/client.js";

export type DatabaseHealth = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };

/** A round trip to the database, bounded by `timeoutMs`, for /api/health. Never throws. */
export async function checkDatabase(prisma: PrismaClient, timeoutMs = 2_000): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([prisma.$queryRawUnsafe("SELECT 1"), timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
