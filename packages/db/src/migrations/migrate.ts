import { spawn } from "node:child_process";
import path from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import { dbPackageRoot, migrationsDir, prismaConfigPath } from "../paths.js";
import { allApplied } from "./history.js";
import { readMigrationList } from "./migrations-dir.js";
import { findSchemaEngineBinary, prismaCliPath } from "./schema-engine-binary.js";
import { NO_FILTERS, withWasmSchemaEngine } from "./wasm-engine.js";

export interface MigrateOptions {
  databaseUrl: string;
  /** Defaults to prisma/migrations at the repository root. */
  migrationsPath?: string;
  log?: (message: string) => void;
}

export interface MigrateResult {
  /** "none": every migration was already applied, so no engine was started. */
  engine: "binary" | "wasm" | "none";
  /** Names applied by this run (wasm engine only; `migrate deploy` prints its own list). */
  appliedMigrationNames: string[];
}

/**
 * Applies every pending migration, recording history in `_prisma_migrations`. Uses
 * `prisma migrate deploy` when the real schema-engine binary is present and the same engine
 * compiled to wasm otherwise: identical semantics, identical history rows.
 */
export async function migrateDatabase(options: MigrateOptions): Promise<MigrateResult> {
  const migrationsList = await readMigrationList(options.migrationsPath ?? migrationsDir);
  const names = migrationsList.migrationDirectories.map((directory) => directory.path);
  if (await allApplied(options.databaseUrl, names)) return { engine: "none", appliedMigrationNames: [] };
  const binary = findSchemaEngineBinary();
  if (binary) {
    await migrateDeployWithBinary(options, binary);
    return { engine: "binary", appliedMigrationNames: [] };
  }
  return { engine: "wasm", appliedMigrationNames: await applyWithWasmEngine(options, migrationsList) };
}

async function applyWithWasmEngine(options: MigrateOptions, migrationsList: MigrationList): Promise<string[]> {
  const { appliedMigrationNames } = await withWasmSchemaEngine(options.databaseUrl, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
  );
  for (const name of appliedMigrationNames) options.log?.(`applied migration ${name}`);
  return appliedMigrationNames;
}

function migrateDeployWithBinary(options: MigrateOptions, binary: string): Promise<void> {
  if (options.migrationsPath && path.resolve(options.migrationsPath) !== migrationsDir) {
    throw new Error("prisma migrate deploy only reads prisma/migrations (see packages/db/prisma.config.ts)");
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCliPath(), "migrate", "deploy", "--config", prismaConfigPath], {
      cwd: dbPackageRoot,
      env: { ...process.env, DATABASE_URL: options.databaseUrl, PRISMA_SCHEMA_ENGINE_BINARY: binary, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy exited with ${code}`))));
  });
}
