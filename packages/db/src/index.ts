export { createPrismaClient, PrismaClient, type PrismaClientOptions } from "./client.js";
export type * from "./generated/prisma/client.js";
export { Prisma } from "./generated/prisma/client.js";
export { checkDatabase, type DatabaseHealth } from "./health.js";
export { startEmbeddedPostgres, defaultDataDir, type EmbeddedPostgresOptions } from "./embedded-postgres.js";
export { startPostgresCluster, embeddedBinDir, isPostgresReachable, freePort, type PostgresClusterOptions, type RunningPostgres } from "./postgres-cluster.js";
export { migrateDatabase, type MigrateOptions, type MigrateResult } from "./migrations/migrate.js";
export { createMigration, type CreateMigrationOptions, type CreateMigrationResult } from "./migrations/create-migration.js";
export { poolConfigFromUrl, withDatabase, databaseName } from "./database-url.js";
