import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigration } from "../src/migrations/create-migration.js";
import { migrateDatabase } from "../src/migrations/migrate.js";
import { migrationsDir, schemaPath } from "../src/paths.js";
import { createDatabase, dropDatabase, uniqueDatabaseName, type ProvidedServer } from "../src/server-provisioning.js";
import { testServer } from "./helpers.js";

let server: ProvidedServer;
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const url = await createDatabase(server.url, uniqueDatabaseName("siplens_dbtest"));
  created.push(url);
  return url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function committedMigrations(dir = migrationsDir): Promise<{ name: string; sha256: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      sha256: createHash("sha256")
        .update(await readFile(path.join(dir, name, "migration.sql")))
        .digest("hex"),
    })),
  );
}

beforeAll(async () => {
  server = await testServer();
});

afterAll(async () => {
  for (const url of created) await dropDatabase(url).catch(() => {});
  await server?.stop();
});

describe("migrateDatabase", () => {
  it("applies every committed migration to a fresh database, then nothing on a second run", async () => {
    const url = await freshDatabase();
    const expected = await committedMigrations();
    expect(expected.length).toBeGreaterThan(0);

    const first = await migrateDatabase({ databaseUrl: url });
    if (first.engine === "wasm") expect(first.appliedMigrationNames).toEqual(expected.map((m) => m.name));

    const second = await migrateDatabase({ databaseUrl: url });
    expect(second.appliedMigrationNames).toEqual([]);

    const tables = await query<{ table_name: string }>(url, "select table_name from information_schema.tables where table_schema = 'public'");
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["_prisma_migrations", "user", "session", "account", "verification"]));
  });

  it("records history in _prisma_migrations exactly like prisma migrate deploy", async () => {
    const url = await freshDatabase();
    await migrateDatabase({ databaseUrl: url });
    await migrateDatabase({ databaseUrl: url });

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
      logs: string | null;
    }>(url, "select * from _prisma_migrations order by migration_name");
    const expected = await committedMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(expected.map((m) => m.name));
    rows.forEach((row, index) => {
      // Prisma stores the hex sha256 of migration.sql: an edited file shows up as "modified".
      expect(row.checksum).toBe(expected[index]?.sha256);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
    });
  });

  it("stops at a broken migration and records it as failed", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "siplens-migrations-"));
    try {
      await cp(migrationsDir, dir, { recursive: true });
      const broken = path.join(dir, "29991231000000_broken");
      await mkdir(broken);
      await writeFile(path.join(broken, "migration.sql"), "CREATE TABLE oops (id int);\nSELECT * FROM no_such_table;\n");
      const url = await freshDatabase();

      await expect(migrateDatabase({ databaseUrl: url, migrationsPath: dir })).rejects.toThrow(/no_such_table/);
      const rows = await query<{ migration_name: string; finished_at: Date | null; logs: string | null }>(
        url,
        "select migration_name, finished_at, logs from _prisma_migrations where migration_name like '%broken'",
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.finished_at).toBeNull();
      expect(rows[0]?.logs).toMatch(/no_such_table/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("createMigration (migrate:new)", () => {
  let workDir: string;
  let migrationsCopy: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "siplens-migrate-new-"));
    migrationsCopy = path.join(workDir, "migrations");
    await cp(migrationsDir, migrationsCopy, { recursive: true });
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it("writes the SQL that takes the committed migrations to the edited schema, and it applies", async () => {
    const shadowsBefore = await shadowDatabases();
    // The migrations may lag the schema while someone is mid-change: diff the schema as
    // committed migrations see it first, so the new model is the only difference we assert on.
    const baseline = await createMigration({ databaseUrl: server.url, name: "catch_up", migrationsPath: migrationsCopy });
    const schema = path.join(workDir, "schema.prisma");
    await writeFile(
      schema,
      `${await readFile(schemaPath, "utf8")}\nmodel MigrateNewProbe {\n  id    Int    @id @default(autoincrement())\n  label String @unique\n\n  @@map("migrate_new_probe")\n}\n`,
    );

    const result = await createMigration({ databaseUrl: server.url, name: "add_probe", migrationsPath: migrationsCopy, schemaPath: schema });
    expect(result.created).toBe(true);
    if (!result.created) return;
    expect(path.basename(result.directory)).toMatch(/^\d{14}_add_probe$/);
    expect(result.script).toContain('CREATE TABLE "migrate_new_probe"');
    expect(result.script).toContain('CREATE UNIQUE INDEX "migrate_new_probe_label_key"');
    if (baseline.created) expect(baseline.script).not.toContain("migrate_new_probe");

    const again = await createMigration({ databaseUrl: server.url, name: "nothing", migrationsPath: migrationsCopy, schemaPath: schema });
    expect(again).toEqual({ created: false, reason: expect.stringMatching(/nothing to create/) });

    const url = await freshDatabase();
    await migrateDatabase({ databaseUrl: url, migrationsPath: migrationsCopy });
    const probe = await query<{ n: string }>(url, "select count(*)::text as n from migrate_new_probe");
    expect(probe[0]?.n).toBe("0");

    // Every diff replayed the migrations into a temporary shadow database: none may be left.
    const leftovers = (await shadowDatabases()).filter((name) => !shadowsBefore.includes(name));
    expect(leftovers).toEqual([]);
  });

  async function shadowDatabases(): Promise<string[]> {
    const rows = await query<{ datname: string }>(server.url, "select datname from pg_database where datname like 'prisma_migrate_shadow_db_%'");
    return rows.map((row) => row.datname);
  }
});
