// `npm start`: set everything up that is not set up yet, then serve siplens at PORT (3000).
// Zero dependencies until `pnpm install` has run; each step is skipped when already done.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { importDb } from "./lib/database.mjs";
import { fail, step } from "./lib/log.mjs";
import { repoRoot } from "./lib/paths.mjs";
import { build, prepareWorkspace } from "./lib/setup.mjs";

const dbDist = path.join(repoRoot, "packages", "db", "dist", "index.js");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

/** The built @siplens/db is usable before this run's build when it is not older than its sources. */
function dbDistIsCurrent() {
  if (!existsSync(dbDist)) return false;
  const src = path.join(repoRoot, "packages", "db", "src");
  return newestMtime(src) <= statSync(dbDist).mtimeMs;
}

/** DATABASE_URL's server, or the embedded one with data under SIPLENS_DATA_DIR (./.data). */
async function openDatabase(db) {
  if (process.env.DATABASE_URL) {
    step("using the PostgreSQL server at DATABASE_URL");
    return { url: process.env.DATABASE_URL, stop: async () => {} };
  }
  const dataDir = db.defaultDataDir();
  step(`no DATABASE_URL: starting the embedded PostgreSQL (PGlite), data in ${path.relative(repoRoot, dataDir) || dataDir}`);
  return db.startEmbeddedPostgres({ dataDir });
}

async function main() {
  const env = await prepareWorkspace();

  // On later starts the database boots while turbo checks the build: both take seconds.
  // (The module is loaded before turbo may rewrite dist/.)
  let database;
  if (dbDistIsCurrent()) {
    const opening = openDatabase(await importDb());
    opening.catch(() => {}); // awaited below; avoids an unhandled rejection while building
    await build(env, ["@siplens/api...", "@siplens/web..."]);
    database = await opening;
  } else {
    await build(env, ["@siplens/api...", "@siplens/web..."]);
    database = await openDatabase(await importDb());
  }
  const db = await importDb();

  step("applying database migrations");
  const migration = await db.migrateDatabase({ databaseUrl: database.url, log: step });
  step(migration.engine === "none" ? "database is up to date" : `database migrated (schema engine: ${migration.engine})`);

  const server = path.join(repoRoot, "apps", "api", "dist", "server.js");
  if (!existsSync(server)) fail(`${path.relative(repoRoot, server)} is missing: the API did not build`);
  const port = process.env.PORT ?? "3000";
  step(`starting the API at http://localhost:${port}`);
  const child = spawn(process.execPath, [server], {
    cwd: path.join(repoRoot, "apps", "api"),
    stdio: "inherit",
    env: {
      ...env,
      DATABASE_URL: database.url,
      PORT: port,
      WEB_DIST: process.env.WEB_DIST ?? path.join(repoRoot, "apps", "web", "dist"),
    },
  });

  // Ctrl-C reaches the API through the terminal's process group; a plain `kill` of this process
  // is passed on. Either way we wait for the API to close before stopping the database under it.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", async (code, signal) => {
    await database.stop().catch(() => {});
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
