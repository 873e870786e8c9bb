import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.js";

export { PrismaClient };
export type * from "./generated/prisma/client.js";

export interface PrismaClientOptions {
  /** Upper bound on pooled connections (pg default: 10). */
  maxConnections?: number;
  /** A pooled connection unused this long is closed (default 10 s), so an idle service holds none open. */
  idleTimeoutMs?: number;
  /** Giving up on opening a connection after this long (default 5 s; pg's own default waits forever). */
  connectTimeoutMs?: number;
}

/**
 * The only way apps get a Prisma client: the pure-TS query compiler plus the node-postgres
 * driver adapter, so no native engine binary is involved anywhere.
 */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.maxConnections,
    idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
  });
  return new PrismaClient({ adapter });
}
