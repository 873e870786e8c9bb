import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { RunningPostgres } from "./local-postgres.js";

export interface EmbeddedPostgresOptions {
  /** Where PGlite keeps its files; defaults to $SIPLENS_DATA_DIR or ./.data, plus /pglite. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 0. */
  port?: number;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.SIPLENS_DATA_DIR ?? ".data");
}

/**
 * PostgreSQL compiled to wasm (PGlite) behind a Postgres wire-protocol socket, so the app, Prisma
 * and the migration engine use it exactly like a real server. One PGlite session is shared by
 * every connection: fine for a single-user "try it" setup, not for production.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningPostgres> {
  const dataDir = path.join(options.dataDir ?? defaultDataDir(), "pglite");
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 100 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
