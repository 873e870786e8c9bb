export { createPrismaClient, PrismaClient, type PrismaClientOptions } from "./client.js";
export type * from "./generated/prisma/client.js";
export { Prisma } from "./generated/prisma/client.js";
export { checkDatabase, type DatabaseHealth } from "./health.js";
export { startEmbeddedPostgres, defaultDataDir, type EmbeddedPostgresOptions } from "./embedded-postgres.js";
export {
  startLocalPostgresCluster,
  findPostgresBinDir,
  isPostgresReachable,
  freePort,
  type RunningPostgres,
} from "./local-postgres.js";
export {
  provideServer,
  createDatabase,
  dropDatabase,
  uniqueDatabaseName,
  DEFAULT_LOCAL_URL,
  type ProvidedServer,
  type ServerSource,
} from "./server-provisioning.js";
export { migrateDatabase, type MigrateOptions, type MigrateResult } from "./migrations/migrate.js";
export { createMigration, type CreateMigrationOptions, type CreateMigrationResult } from "./migrations/create-migration.js";
export { poolConfigFromUrl, withDatabase, databaseName } from "./database-url.js";
