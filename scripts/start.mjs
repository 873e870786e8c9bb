// `npm start`: set everything up that is not set up yet, then serve siplens at PORT (3000).
// Zero dependencies until `pnpm install` has run; each step is skipped when already done.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { importDb } from "./lib/database.mjs";
import { fail, step } from "./lib/log.mjs";
import { repoRoot } from "./lib/paths.mjs";
import { build, prepareWorkspace } from "./lib/setup.mjs";

async function main() {
  const env = await prepareWorkspace();
  await build(env, ["@siplens/api...", "@siplens/web..."]);

  const db = await importDb();
  let database = { url: process.env.DATABASE_URL, stop: async () => {} };
  if (database.url) {
    step("using the PostgreSQL server at DATABASE_URL");
  } else {
    const dataDir = db.defaultDataDir();
    step(`no DATABASE_URL: starting the embedded PostgreSQL (PGlite) with data in ${path.relative(repoRoot, dataDir) || dataDir}`);
    database = await db.startEmbeddedPostgres({ dataDir });
  }

  step("applying database migrations");
  const migration = await db.migrateDatabase({ databaseUrl: database.url, log: step });
  step(`database is up to date (schema engine: ${migration.engine})`);

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
