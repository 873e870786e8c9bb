import type { TestProject } from "vitest/node";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createDatabase, DEFAULT_LOCAL_URL, dropDatabase, uniqueDatabaseName } from "@siplens/db";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * The API tests run against a real PostgreSQL: the database at DATABASE_URL (the repository's
 * `npm test` creates a fresh migrated one), else a database of our own on 127.0.0.1:5432,
 * migrated with the foundation's runner and dropped afterwards.
 */
export default async function setup(project: TestProject) {
  const given = process.env.DATABASE_URL;
  const url = given ?? (await createDatabase(DEFAULT_LOCAL_URL, uniqueDatabaseName("siplens_test_api")));
  migrate(url);
  project.provide("databaseUrl", url);
  return async () => {
    if (!given) await dropDatabase(url);
  };
}

/** The foundation's migration runner, in its own process (its wasm loader needs plain Node, not vitest's module runner). */
function migrate(databaseUrl: string): void {
  const cli = fileURLToPath(new URL("../../../packages/db/src/cli/migrate.ts", import.meta.url));
  execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", cli], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 180_000,
  });
}
