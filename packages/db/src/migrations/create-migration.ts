import { readFile } from "node:fs/promises";
import path from "node:path";
import { migrationsDir, schemaPath } from "../paths.js";
import { readMigrationList, writeMigration } from "./migrations-dir.js";
import { NO_FILTERS, withWasmSchemaEngine } from "./wasm-engine.js";

export interface CreateMigrationOptions {
  /** A server where the engine may create (and drop) a temporary shadow database. */
  databaseUrl: string;
  name: string;
  migrationsPath?: string;
  /** Defaults to prisma/schema.prisma. */
  schemaPath?: string;
  /** Write an empty migration even when the schema has no changes (for hand-written SQL). */
  draft?: boolean;
}

export type CreateMigrationResult = { created: true; directory: string; script: string } | { created: false; reason: string };

/**
 * `prisma migrate dev --create-only` without the binary: the wasm engine replays the committed
 * migrations into a temporary shadow database, diffs that against prisma/schema.prisma and we
 * write the SQL as a new migration folder. Nothing is applied to the target database.
 * (The engine's own createMigration cannot reach a shadow database through a driver adapter;
 * diff can.)
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreateMigrationResult> {
  const baseDir = options.migrationsPath ?? migrationsDir;
  const migrationsList = await readMigrationList(baseDir);
  const schemaFile = options.schemaPath ?? schemaPath;
  const schemaContent = await readFile(schemaFile, "utf8");
  const diff = await withWasmSchemaEngine(options.databaseUrl, (engine) =>
    engine.diff({
      // The engine refuses a migrations source without migration_lock.toml, i.e. before the first one.
      from: migrationsList.migrationDirectories.length > 0 ? { tag: "migrations", ...migrationsList } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: path.basename(schemaFile), content: schemaContent }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    }),
  );
  const hasChanges = diff.exitCode === 2;
  if (!hasChanges && !options.draft) {
    return { created: false, reason: "prisma/schema.prisma matches the committed migrations: nothing to create" };
  }
  const script = hasChanges ? (diff.stdout ?? "") : "-- Hand-written migration: add your SQL here.\n";
  const directory = await writeMigration(baseDir, migrationFolderName(options.name), script);
  return { created: true, directory, script };
}

/** Prisma's folder naming: UTC timestamp to the second, then the name. */
function migrationFolderName(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${stamp}_${name}`;
}
