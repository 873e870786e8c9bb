import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The pnpm version of the root package.json's `packageManager` ("pnpm@X.Y.Z", maybe "+sha512.…"): it is written only there. */
export const PNPM_VERSION = pnpmVersionOf(JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).packageManager);

function pnpmVersionOf(packageManager) {
  const version = /^pnpm@(\d+\.\d+\.\d+[^+]*)/.exec(packageManager ?? "")?.[1];
  if (!version) throw new Error(`package.json: packageManager should be "pnpm@<version>", not ${JSON.stringify(packageManager)}`);
  return version;
}

/** Local pnpm when the global npm prefix is not writable. */
export const localToolsDir = path.join(repoRoot, ".tools");
/** Markers that let a second run skip work it already did. */
export const stampDir = path.join(repoRoot, "node_modules", ".siplens");
