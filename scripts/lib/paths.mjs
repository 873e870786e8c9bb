import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const PNPM_VERSION = "10.34.9";
/** Local pnpm when the global npm prefix is not writable. */
export const localToolsDir = path.join(repoRoot, ".tools");
/** Markers that let a second run skip work it already did. */
export const stampDir = path.join(repoRoot, "node_modules", ".siplens");
