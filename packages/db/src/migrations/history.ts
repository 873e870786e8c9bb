import pg from "pg";

/**
 * True when `_prisma_migrations` lists every one of `names` as finished and nothing as failed:
 * then there is nothing to do and starting a schema engine (a second or two) can be skipped.
 * Any doubt (no table, failed rows, unknown names) answers false and lets the engine decide.
 */
export async function allApplied(databaseUrl: string, names: string[]): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; finished: boolean }>(
      `select migration_name, finished_at is not null as finished
         from _prisma_migrations where rolled_back_at is null`,
    );
    if (rows.some((row) => !row.finished)) return false;
    const applied = new Set(rows.map((row) => row.migration_name));
    return names.every((name) => applied.has(name));
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
