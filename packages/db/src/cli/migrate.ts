// `pnpm --filter @siplens/db migrate`: applies pending migrations to $DATABASE_URL.
import { migrateDatabase } from "../migrations/migrate.js";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is not set: point it at the PostgreSQL database to migrate.");
  process.exit(2);
}

try {
  const result = await migrateDatabase({ databaseUrl, log: (message) => console.error(message) });
  const how = { none: "nothing to apply", wasm: `schema engine: wasm, ${result.appliedMigrationNames.length} applied`, binary: "schema engine: binary" };
  console.error(`database is up to date (${how[result.engine]})`);
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
