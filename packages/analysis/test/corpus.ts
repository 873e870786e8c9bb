// Where the shared SIP corpus lives (Node-only test support). The corpus sits beside the project
// (../shared/corpus from the repository root) on our machines, but a clone may live anywhere, so
// SIPLENS_CORPUS overrides and /work/shared/corpus is the last resort.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function locateCorpus(): string {
  const candidates = [process.env["SIPLENS_CORPUS"], resolve(repoRoot, "../shared/corpus"), "/work/shared/corpus"].filter(
    (c): c is string => typeof c === "string" && c.length > 0,
  );
  return candidates.find((c) => existsSync(join(c, "manifest.json"))) ?? candidates[0]!;
}

/** The corpus folder (holds manifest.json and traces/). */
export const CORPUS_DIR = locateCorpus();
/** The corpus traces folder. */
export const CORPUS_TRACES = join(CORPUS_DIR, "traces");
