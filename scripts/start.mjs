// `npm start`: set everything up that is not set up yet, then serve siplens at PORT (3000).
// Zero dependencies until `pnpm install` has run; each step is skipped when already done.
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { importDbForStart } from "./lib/database.mjs";
import { isFresh, newestMtime, writeStamp } from "./lib/freshness.mjs";
import { fail, step } from "./lib/log.mjs";
import { repoRoot, stampDir } from "./lib/paths.mjs";
import { build, prepareWorkspace } from "./lib/setup.mjs";

const dbDist = path.join(repoRoot, "packages", "db", "dist", "index.js");
const apiServer = path.join(repoRoot, "apps", "api", "dist", "server.js");
const webIndex = path.join(repoRoot, "apps", "web", "dist", "index.html");
const buildStamp = path.join(stampDir, "start-build");
// Everything the API and the web app are built from.
const buildSources = [
  ...["apps/api", "apps/web", "packages", "tooling", "prisma"].map((dir) => path.join(repoRoot, dir)),
  ...["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "turbo.json"].map((file) => path.join(repoRoot, file)),
];

/** The built @siplens/db is usable before this run's build when it is not older than its sources. */
function dbDistIsCurrent() {
  const built = statSync(dbDist, { throwIfNoEntry: false });
  return Boolean(built) && newestMtime(path.join(repoRoot, "packages", "db", "src")) <= built.mtimeMs;
}

/**
 * turbo build of the API and the web app. Skipped outright when nothing changed since the last
 * successful one: even a fully cached turbo run spends seconds hashing.
 */
async function buildApp(env) {
  if (existsSync(apiServer) && existsSync(webIndex) && isFresh(buildStamp, buildSources)) return;
  const startedAt = new Date();
  await build(env, ["@siplens/api...", "@siplens/web..."]);
  writeStamp(buildStamp, startedAt);
}

/** DATABASE_URL's server, or the embedded one with data under SIPLENS_DATA_DIR (./.data). */
async function openDatabase(db) {
  // Set but empty (`DATABASE_URL=`) means "none", like unset.
  const configured = process.env.DATABASE_URL?.trim();
  if (configured) {
    step("using the PostgreSQL server at DATABASE_URL");
    return { url: configured, stop: async () => {} };
  }
  const dataDir = process.env.SIPLENS_DATA_DIR ? path.resolve(process.env.SIPLENS_DATA_DIR) : path.join(repoRoot, ".data");
  step(`no DATABASE_URL: starting the embedded PostgreSQL, data in ${path.relative(repoRoot, dataDir) || dataDir}`);
  return db.startEmbeddedPostgres({ dataDir, log: step });
}

async function main() {
  const env = await prepareWorkspace();

  // On later starts the database boots while turbo checks the build: both take seconds.
  // (The module is loaded before turbo may rewrite dist/.)
  let database;
  if (dbDistIsCurrent()) {
    const opening = openDatabase(await importDbForStart());
    opening.catch(() => {}); // awaited below; avoids an unhandled rejection while building
    await buildApp(env);
    database = await opening;
  } else {
    await buildApp(env);
    database = await openDatabase(await importDbForStart());
  }
  const db = await importDbForStart();

  step("applying database migrations");
  const migration = await db.migrateDatabase({ databaseUrl: database.url, log: step });
  step(migration.engine === "none" ? "database is up to date" : `database migrated (schema engine: ${migration.engine})`);

  if (!existsSync(apiServer)) fail(`${path.relative(repoRoot, apiServer)} is missing: the API did not build`);
  const port = process.env.PORT ?? "3000";
  step(`starting the API at http://localhost:${port}`);
  const child = spawn(process.execPath, [apiServer], {
    cwd: path.join(repoRoot, "apps", "api"),
    stdio: "inherit",
    // A process group of its own: a terminal's Ctrl-C (or `kill -TERM -PGID`) reaches only this
    // script, which passes on exactly one signal. Two would make the API skip its graceful close
    // (requests in flight cut, running jobs not handed back).
    detached: true,
    env: {
      ...env,
      DATABASE_URL: database.url,
      PORT: port,
      WEB_DIST: process.env.WEB_DIST ?? path.join(repoRoot, "apps", "web", "dist"),
    },
  });

  // A second Ctrl-C is passed on too: the API then stops at once.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => child.kill(signal));
  }
  // The database is stopped only after the API has closed: its last requests still need it.
  child.on("exit", async (code, signal) => {
    await database.stop().catch(() => {});
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
