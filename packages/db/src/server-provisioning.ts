import pg from "pg";
import { databaseName, withDatabase } from "./database-url.js";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import { findPostgresBinDir, isPostgresReachable, startLocalPostgresCluster, type RunningPostgres } from "./local-postgres.js";

export const DEFAULT_LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export type ServerSource = "DATABASE_URL" | "localhost:5432" | "ephemeral cluster" | "embedded";

export interface ProvidedServer extends RunningPostgres {
  source: ServerSource;
}

/**
 * A PostgreSQL server for tests and tooling, best first: DATABASE_URL, a server already on
 * 127.0.0.1:5432, a throw-away cluster from local binaries, the embedded PGlite server.
 * `stop()` only stops what this function started.
 */
export async function provideServer(
  options: { databaseUrl?: string; allowEmbedded?: boolean; log?: (message: string) => void } = {},
): Promise<ProvidedServer> {
  const noop = async () => {};
  if (options.databaseUrl) return { source: "DATABASE_URL", url: options.databaseUrl, stop: noop };
  if (await isPostgresReachable(DEFAULT_LOCAL_URL)) return { source: "localhost:5432", url: DEFAULT_LOCAL_URL, stop: noop };
  if (findPostgresBinDir()) {
    options.log?.("starting a throw-away PostgreSQL cluster from the local installation");
    return { source: "ephemeral cluster", ...(await startLocalPostgresCluster()) };
  }
  if (options.allowEmbedded === false) {
    throw new Error(
      "No PostgreSQL server: set DATABASE_URL, start one on 127.0.0.1:5432, or install the server binaries (apt-get install -y postgresql).",
    );
  }
  options.log?.("no PostgreSQL installation found: using the embedded PGlite server");
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const dataDir = mkdtempSync(path.join(tmpdir(), "siplens-pglite-"));
  return { source: "embedded", ...(await startEmbeddedPostgres({ dataDir })) };
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
  await withAdminClient(withDatabase(databaseUrl, "postgres"), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  );
}

/** A database name unique to this process and moment, e.g. siplens_test_api_m3x9k2_4f1a. */
export function uniqueDatabaseName(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 6);
  return `${prefix}_${Date.now().toString(36)}_${random}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}
