import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";

// Build products and installed code never count as sources.
const IGNORED = new Set(["node_modules", "dist", ".turbo", "generated", "test-results", "playwright-report", "coverage"]);

/** Newest modification time under `target` (a file or a directory tree), 0 when absent. */
export function newestMtime(target) {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer directory
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (IGNORED.has(entry.name)) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** True when `stampFile` exists and none of `sources` changed after it was written. */
export function isFresh(stampFile, sources) {
  const stamp = statSync(stampFile, { throwIfNoEntry: false });
  if (!stamp) return false;
  return sources.every((source) => newestMtime(source) <= stamp.mtimeMs);
}

/**
 * Marks a build as done, dated when it started: a source edited while it ran is newer than
 * the stamp and triggers the next build.
 */
export function writeStamp(stampFile, startedAt) {
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, "");
  utimesSync(stampFile, startedAt, startedAt);
}
