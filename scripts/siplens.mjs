// `npm run -s siplens -- <args>`: the analysis CLI from the repository root. stdout carries
// nothing but the CLI's output; any setup (install, build) logs to stderr. The warm path is a
// few stats and an in-process import, because the corpus checker calls this once per file.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot, stampDir } from "./lib/paths.mjs";

const analysis = path.join(repoRoot, "packages", "analysis");
const cli = path.join(analysis, "dist", "cli", "main.js");
const buildStamp = path.join(analysis, "dist", ".siplens-built");
// Sources the CLI is built from: the package and the contracts it imports.
const sources = [path.join(analysis, "src"), path.join(repoRoot, "packages", "contracts", "src"), path.join(analysis, "package.json"), path.join(analysis, "tsconfig.json")];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer directory
  for (const entry of readdirSync(target, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function dependenciesCurrent() {
  try {
    const lockHash = createHash("sha256").update(readFileSync(path.join(repoRoot, "pnpm-lock.yaml"))).digest("hex");
    return readFileSync(path.join(stampDir, "install"), "utf8") === lockHash;
  } catch {
    return false;
  }
}

function buildCurrent() {
  if (!existsSync(cli) || !existsSync(buildStamp)) return false;
  const builtAt = statSync(buildStamp).mtimeMs;
  return sources.every((source) => newestMtime(source) <= builtAt);
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
  // Sources edited during the build must trigger the next one: stamp with the start time.
  writeFileSync(buildStamp, "");
  utimesSync(buildStamp, startedAt, startedAt);
  step("analysis CLI is ready");
}

if (!dependenciesCurrent() || !buildCurrent()) {
  try {
    await setUp();
  } catch (error) {
    process.stderr.write(`[siplens] could not prepare the CLI: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

// Run the CLI in this process: it reads process.argv like any bin.
process.argv = [process.argv[0], cli, ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
