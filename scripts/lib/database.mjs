import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./paths.mjs";

const dist = path.join(repoRoot, "packages", "db", "dist");

/** @siplens/db/testing as built: test-database provisioning (server → create → migrate → drop). */
export function importDbTesting() {
  return import(pathToFileURL(path.join(dist, "testing.js")).href);
}

/**
 * Only what `npm start` needs (embedded server, migrations), without the Prisma client runtime
 * that the package entry point also loads: a second or so less on every start.
 */
export async function importDbForStart() {
  const [embedded, migrate] = await Promise.all([
    import(pathToFileURL(path.join(dist, "embedded-postgres.js")).href),
    import(pathToFileURL(path.join(dist, "migrations", "migrate.js")).href),
  ]);
  return { ...embedded, ...migrate };
}
