import { execFile } from "node:child_process";
import { dbPackageRoot } from "./paths.js";
import { createDatabase, dropDatabase, provideServer, uniqueDatabaseName } from "./server-provisioning.js";

export { freePort } from "./postgres-cluster.js";
export {
  provideServer,
  createDatabase,
  dropDatabase,
  uniqueDatabaseName,
  DEFAULT_LOCAL_URL,
  type ProvidedServer,
  type ServerSource,
} from "./server-provisioning.js";

export interface TestDatabase {
  /** A fresh database with every migration applied. */
  url: string;
  /** Drops the database, and stops the server when it was started for it. */
  drop(): Promise<void>;
}

/**
 * Test provisioning in one place: a server (DATABASE_URL's, 127.0.0.1:5432, else a throw-away
 * embedded one) → a database of its own named after `purpose` → migrated → dropped by `drop()`.
 * DATABASE_URL only names the server: a run never writes into a database it did not create.
 */
export async function createTestDatabase(purpose: string, options: { databaseUrl?: string; log?: (message: string) => void } = {}): Promise<TestDatabase> {
  const server = await provideServer(options);
  try {
    const url = await createDatabase(server.url, uniqueDatabaseName(`siplens_test_${purpose}`));
    await migrateInChildProcess(url).catch(async (error: unknown) => {
      await dropDatabase(url).catch(() => {});
      throw error;
    });
    return {
      url,
      async drop() {
        await dropDatabase(url).catch(() => {});
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * The migration runner in plain Node: its wasm loader does not work inside vitest's module
 * runner, where a globalSetup calls this from.
 */
function migrateInChildProcess(databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "src/cli/migrate.ts"],
      { cwd: dbPackageRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 180_000 },
      (error, _stdout, stderr) => (error ? reject(new Error(`migrating the test database failed: ${stderr.trim() || error.message}`)) : resolve()),
    );
  });
}

/**
 * A vitest globalSetup: one fresh migrated database for the whole run, handed to the tests as
 * `inject("databaseUrl")`. Use: `export default databaseGlobalSetup("api")`.
 */
export function databaseGlobalSetup(purpose: string) {
  return async (project: { provide(key: "databaseUrl", value: string): void }) => {
    const database = await createTestDatabase(purpose, { databaseUrl: process.env.DATABASE_URL || undefined });
    project.provide("databaseUrl", database.url);
    return () => database.drop();
  };
}
