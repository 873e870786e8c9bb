/**
 * How database failures are told apart: "unavailable" (answered 503, retried by readers) versus
 * everything else (a bug: 500). Errors arrive wrapped by Prisma, the pg adapter and pg, so each
 * test walks the `cause` chain.
 */

/** Messages of pg, Prisma and the OS that mean the server cannot be reached or dropped us. */
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|Connection terminated|terminating connection|Can't reach database|connection (?:is )?closed|Client has encountered a connection error|database system is (?:starting|shutting|in recovery)|too many clients|timeout exceeded when trying to connect|is not currently accepting connections|database "[^"]*" does not exist/i;
/** Prisma's and PostgreSQL's codes for the same (57P0x: the server ended the session, 08xxx: connection, 3D000: no such database). */
const UNREACHABLE_CODES = new Set([
  "P1001",
  "P1002",
  "P1003",
  "P1008",
  "P1017",
  "P2024",
  "ECONNREFUSED",
  "ECONNRESET",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "3D000",
]);
/** A transaction lost to a concurrent one: worth running again as it is. */
const CONFLICT_CODES = new Set(["40001", "40P01", "P2034"]);

function* causes(error: unknown): Generator<{ name?: string; code?: string; message?: string }> {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    yield e;
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const { name, code, message } of causes(error)) {
    if (name === "PrismaClientInitializationError" || (code && UNREACHABLE_CODES.has(code)) || (message && UNREACHABLE.test(message))) return true;
  }
  return false;
}

/** Failures that running the same statement again may cure. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  for (const { code } of causes(error)) if (code && CONFLICT_CODES.has(code)) return true;
  return false;
}

/** What /api/health says is wrong: a category, never the driver's text (it can name hosts and users). */
export function describeDatabaseProblem(error: string): string {
  if (/no answer within/i.test(error)) return "the database does not answer in time";
  if (/does not exist|3D000/i.test(error)) return "the configured database does not exist";
  if (/password authentication|28P01|28000/i.test(error)) return "the database refused the service's credentials";
  if (/too many clients|53300/i.test(error)) return "the database has no free connections";
  if (/starting up|shutting down|recovery mode|57P03/i.test(error)) return "the database is restarting or shutting down";
  return "the database cannot be reached";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` again after a transient database failure, a bounded number of times with growing
 * pauses (default 4 tries over ~1.5 s), so one dropped connection is not reported to a client.
 * Only for work that is safe to repeat: reads, or writes that are idempotent or in a transaction.
 */
export async function retryTransient<T>(
  work: () => Promise<T>,
  options: { attempts?: number; firstDelayMs?: number; canRetry?: () => boolean; onRetry?: (error: unknown, attempt: number) => void } = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  let delay = options.firstDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientDatabaseError(error) || options.canRetry?.() === false) throw error;
      options.onRetry?.(error, attempt);
      await sleep(delay);
      delay *= 2.5;
    }
  }
}
