import { existsSync } from "node:fs";
import path from "node:path";
import { step } from "./log.mjs";
import { PNPM_VERSION, localToolsDir } from "./paths.mjs";
import { capture, run } from "./run.mjs";

const localBin = path.join(localToolsDir, "node_modules", ".bin");

function withPath(env, dir) {
  return { ...env, PATH: `${dir}${path.delimiter}${env.PATH ?? ""}` };
}

/** PATH that also finds a pnpm installed under .tools by an earlier run. */
export function withLocalTools(env) {
  return existsSync(localBin) ? withPath(env, localBin) : env;
}

/**
 * Makes pnpm at the pinned version available and returns the environment that finds it.
 * Order: the one on PATH, one we installed under .tools earlier, `npm i -g`, then `npm i` into
 * .tools when the global prefix is not writable. (Corepack is skipped: its signature check
 * fails on this registry.)
 */
export async function ensurePnpm(env = process.env) {
  if (capture("pnpm", ["--version"], { env }) === PNPM_VERSION) return env;
  const localEnv = withPath(env, localBin);
  if (existsSync(path.join(localBin, "pnpm")) && capture("pnpm", ["--version"], { env: localEnv }) === PNPM_VERSION) {
    return localEnv;
  }
  step(`installing pnpm ${PNPM_VERSION} (npm i -g)`);
  const globalStatus = await run("npm", ["install", "--global", "--no-fund", "--no-audit", `pnpm@${PNPM_VERSION}`], { env, allowFailure: true });
  if (globalStatus === 0 && capture("pnpm", ["--version"], { env }) === PNPM_VERSION) return env;
  step(`global install not possible: installing pnpm ${PNPM_VERSION} under .tools/`);
  await run("npm", ["install", "--prefix", localToolsDir, "--no-fund", "--no-audit", "--no-save", `pnpm@${PNPM_VERSION}`], { env });
  if (capture("pnpm", ["--version"], { env: localEnv }) !== PNPM_VERSION) {
    throw new Error(`could not install pnpm ${PNPM_VERSION}: run \`npm install -g pnpm@${PNPM_VERSION}\` and retry`);
  }
  return localEnv;
}
