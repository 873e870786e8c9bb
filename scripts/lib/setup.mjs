import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { step } from "./log.mjs";
import { ensurePnpm } from "./pnpm.mjs";
import { repoRoot, stampDir } from "./paths.mjs";
import { run } from "./run.mjs";

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function readStamp(name) {
  try {
    return readFileSync(path.join(stampDir, name), "utf8");
  } catch {
    return undefined;
  }
}

function writeStamp(name, value) {
  mkdirSync(stampDir, { recursive: true });
  writeFileSync(path.join(stampDir, name), value);
}

/** Telemetry off, and pnpm/turbo never prompt. */
export function baseEnv(env = process.env) {
  return { ...env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
}

/** `pnpm install --frozen-lockfile`, only when pnpm-lock.yaml changed since the last success. */
export async function ensureDependencies(env) {
  const lockHash = sha256(path.join(repoRoot, "pnpm-lock.yaml"));
  if (readStamp("install") === lockHash && existsSync(path.join(repoRoot, "node_modules", ".modules.yaml"))) return;
  step("installing dependencies (pnpm install --frozen-lockfile)");
  await run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline"], { env });
  writeStamp("install", lockHash);
}

/** Prisma client generation, only when prisma/schema.prisma changed since the last one. */
export async function ensurePrismaClient(env) {
  const schemaHash = sha256(path.join(repoRoot, "prisma", "schema.prisma"));
  const client = path.join(repoRoot, "packages", "db", "src", "generated", "prisma", "client.ts");
  if (readStamp("prisma-generate") === schemaHash && existsSync(client)) return;
  step("generating the Prisma client");
  await run("pnpm", ["--filter", "@siplens/db", "run", "generate"], { env });
  writeStamp("prisma-generate", schemaHash);
}

/** turbo build (cached: unchanged packages are restored, not rebuilt). */
export function build(env, filters = [], { allowFailure = false } = {}) {
  step(filters.length ? `building ${filters.join(", ")} (turbo, cached)` : "building (turbo, cached)");
  const filterArgs = filters.map((filter) => `--filter=${filter}`);
  const continueArgs = allowFailure ? ["--continue"] : [];
  return run("pnpm", ["exec", "turbo", "run", "build", ...filterArgs, ...continueArgs, "--output-logs=errors-only"], { env, allowFailure });
}

/** pnpm at the pinned version, dependencies, Prisma client: what every entry script needs. */
export async function prepareWorkspace() {
  const env = await ensurePnpm(baseEnv());
  await ensureDependencies(env);
  await ensurePrismaClient(env);
  return env;
}
