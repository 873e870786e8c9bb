// `npm run -s siplens -- <args>`: the analysis CLI from the repository root. stdout carries
// nothing but the CLI's output; any setup (install, build) logs to stderr. The warm path is a
// few stats and an in-process import, because the corpus checker calls this once per file.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isFresh, writeStamp } from "./lib/freshness.mjs";
import { repoRoot, stampDir } from "./lib/paths.mjs";

const analysis = path.join(repoRoot, "packages", "analysis");
const cli = path.join(analysis, "dist", "cli", "main.js");
const buildStamp = path.join(analysis, "dist", ".siplens-built");
// Sources the CLI is built from: the package and the contracts it imports.
const sources = [
  path.join(analysis, "src"),
  path.join(repoRoot, "packages", "contracts", "src"),
  path.join(analysis, "package.json"),
  path.join(analysis, "tsconfig.build.json"),
];

function dependenciesCurrent() {
  try {
    const lockHash = createHash("sha256")
      .update(readFileSync(path.join(repoRoot, "pnpm-lock.yaml")))
      .digest("hex");
    return readFileSync(path.join(stampDir, "install"), "utf8") === lockHash;
  } catch {
    return false;
  }
}

function buildCurrent() {
  return existsSync(cli) && isFresh(buildStamp, sources);
}

async function setUp() {
  // Loaded only when needed: the warm path imports nothing from lib/ but paths.
  const { step } = await import("./lib/log.mjs");
  const { ensureDependencies, baseEnv, build } = await import("./lib/setup.mjs");
  const { ensurePnpm } = await import("./lib/pnpm.mjs");
  const env = await ensurePnpm(baseEnv());
  await ensureDependencies(env);
  const startedAt = new Date();
  await build(env, ["@siplens/analysis"]);
  writeStamp(buildStamp, startedAt);
  step("analysis CLI is ready");
}

/**
 * One build at a time: the corpus checker and several people may call the CLI at once, and two
 * compilers writing the same dist/ corrupt it. mkdir is atomic; a lock older than 15 min is stale.
 */
async function withBuildLock(work) {
  const lock = path.join(stampDir, "cli-build.lock");
  mkdirSync(stampDir, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (!dependenciesCurrent() || !buildCurrent()) {
  try {
    // Another caller may have finished the build while we waited for the lock.
    await withBuildLock(async () => {
      if (!dependenciesCurrent() || !buildCurrent()) await setUp();
    });
  } catch (error) {
    process.stderr.write(`[siplens] could not prepare the CLI: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

// Run the CLI in this process: it reads process.argv like any bin.
process.argv = [process.argv[0], cli, ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
