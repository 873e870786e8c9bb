import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../src/client.js";
import { startEmbeddedPostgres } from "../src/embedded-postgres.js";
import { checkDatabase } from "../src/health.js";
import { findPostgresBinDir, startLocalPostgresCluster } from "../src/local-postgres.js";
import { migrateDatabase } from "../src/migrations/migrate.js";

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(sql);
    return Object.values(rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL (PGlite over a socket)", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "siplens-embedded-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers SQL, takes the migrations, serves Prisma and keeps data across restarts", async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      expect(String(await scalar(first.url, "select version()"))).toMatch(/PostgreSQL/);
      await migrateDatabase({ databaseUrl: first.url });

      const prisma = createPrismaClient(first.url);
      try {
        expect((await checkDatabase(prisma)).ok).toBe(true);
        await prisma.user.create({ data: { id: "u1", name: "Ada", email: "ada@example.test" } });
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await scalar(second.url, "select email from \"user\" where id = 'u1'")).toBe("ada@example.test");
      const again = await migrateDatabase({ databaseUrl: second.url });
      expect(again.appliedMigrationNames).toEqual([]);
    } finally {
      await second.stop();
    }
    // PGlite boots Postgres in wasm twice here: slow on a busy 2-core machine.
  }, 240_000);
});

describe("throw-away local cluster", () => {
  it.skipIf(!findPostgresBinDir())("starts from the installed binaries, answers, and is gone after stop", async () => {
    const cluster = await startLocalPostgresCluster();
    expect(await scalar(cluster.url, "select 41 + 1")).toBe(42);
    await cluster.stop();
    const prisma = createPrismaClient(cluster.url);
    try {
      const health = await checkDatabase(prisma, 1_000);
      expect(health.ok).toBe(false);
    } finally {
      await prisma.$disconnect();
    }
  });
});
