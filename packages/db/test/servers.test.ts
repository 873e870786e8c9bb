import { execFileSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, readFileSync, readlinkSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../src/client.js";
import { startEmbeddedPostgres } from "../src/embedded-postgres.js";
import { checkDatabase } from "../src/health.js";
import { embeddedBinDir, startPostgresCluster } from "../src/postgres-cluster.js";
import { migrateDatabase } from "../src/migrations/migrate.js";

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>(sql);
    return Object.values(rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}

/** The session id of the server process of the cluster whose data is in `dataDir`. */
function serverSessionId(dataDir: string): number {
  const pid = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]?.trim() ?? "";
  return Number(execFileSync("ps", ["-o", "sid=", "-p", pid], { encoding: "utf8" }).trim());
}

describe("embedded PostgreSQL (the binaries shipped in embedded-postgres)", () => {
  let checkout: string;
  /** Like ./.data of a fresh clone: not there yet, in a folder the server's user (postgres, when root) can reach. */
  let dataDir: string;

  beforeAll(async () => {
    checkout = await mkdtemp(path.join(tmpdir(), "siplens-embedded-"));
    await chmod(checkout, 0o755);
    dataDir = path.join(checkout, ".data");
  });
  afterAll(async () => {
    await rm(checkout, { recursive: true, force: true });
  });

  it("is a real PostgreSQL that takes the migrations, serves Prisma and keeps data across restarts", async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      expect(String(await scalar(first.url, "select version()"))).toMatch(/^PostgreSQL 18\./);
      await migrateDatabase({ databaseUrl: first.url });
      const prisma = createPrismaClient(first.url);
      try {
        expect(await checkDatabase(prisma, 15_000)).toMatchObject({ ok: true }); // a busy machine: the first connection is slow
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
      expect((await migrateDatabase({ databaseUrl: second.url })).appliedMigrationNames).toEqual([]);
    } finally {
      await second.stop();
    }
  });

  it("needs its password, and its server is out of reach of a Ctrl-C meant for the app", async () => {
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      const withoutPassword = new URL(server.url);
      withoutPassword.password = "wrong";
      await expect(scalar(withoutPassword.toString(), "select 1")).rejects.toThrow(/password authentication failed/);
      // A terminal's Ctrl-C goes to the foreground process group of our session only.
      expect(serverSessionId(path.join(dataDir, "postgres", "data"))).not.toBe(
        Number(execFileSync("ps", ["-o", "sid=", "-p", String(process.pid)], { encoding: "utf8" }).trim()),
      );
    } finally {
      await server.stop();
    }
  });

  it("takes over its data from a run that was killed without stopping its server", async () => {
    const orphan = await startEmbeddedPostgres({ dataDir });
    // (no stop: as after `kill -9` of npm start)
    const next = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await scalar(next.url, "select 41 + 1")).toBe(42);
      expect(new URL(orphan.url).port).not.toBe(new URL(next.url).port);
      await expect(scalar(orphan.url, "select 1")).rejects.toThrow();
    } finally {
      await next.stop();
    }
  });
});

describe("throw-away cluster", () => {
  it("answers, and is gone with its files after stop", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "siplens-pg-test-"));
    const cluster = await startPostgresCluster({ dir, temporary: true });
    expect(await scalar(cluster.url, "select 41 + 1")).toBe(42);
    await cluster.stop();
    expect(existsSync(dir)).toBe(false);
    const prisma = createPrismaClient(cluster.url);
    try {
      expect((await checkDatabase(prisma, 1_000)).ok).toBe(false);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe.runIf(process.getuid?.() === 0)("as root, in a checkout the server's user cannot reach (a clone under /root or mktemp -d)", () => {
  it("runs the server from reachable copies of its binaries and keeps the data linked from where it was asked to be", async () => {
    const checkout = await mkdtemp(path.join(tmpdir(), "siplens-closed-")); // mode 700, as mktemp -d
    const binDir = path.join(checkout, "native", "bin");
    cpSync(path.dirname(embeddedBinDir()), path.dirname(binDir), { recursive: true, verbatimSymlinks: true });
    const dir = path.join(checkout, ".data", "postgres");
    const told: string[] = [];
    let clusterFiles: string | undefined;
    try {
      const first = await startPostgresCluster({ dir, log: (message) => told.push(message) }, binDir);
      try {
        await scalar(first.url, "create table kept as select 7 as v");
      } finally {
        await first.stop();
      }
      expect(lstatSync(dir).isSymbolicLink()).toBe(true);
      clusterFiles = readlinkSync(dir);
      expect(told.join("\n")).toContain(clusterFiles);
      expect(told.join("\n")).toMatch(/binaries were copied to|cannot reach/);

      const second = await startPostgresCluster({ dir }, binDir);
      try {
        expect(await scalar(second.url, "select v from kept")).toBe(7);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(checkout, { recursive: true, force: true });
      if (clusterFiles) await rm(clusterFiles, { recursive: true, force: true });
    }
  }, 120_000);
});
