import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.js";

export { PrismaClient };
export type * from "./generated/prisma/client.js";

export interface PrismaClientOptions {
  /** Upper bound on pooled connections (pg default: 10). */
  maxConnections?: number;
}

/**
 * The only way apps get a Prisma client: the pure-TS query compiler plus the node-postgres
 * driver adapter, so no native engine binary is involved anywhere.
 */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.maxConnections });
  return new PrismaClient({ adapter });
}
