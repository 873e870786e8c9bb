import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./paths.mjs";

/** @siplens/db as built (dist): available once the workspace is installed and built. */
export function importDb() {
  return import(pathToFileURL(path.join(repoRoot, "packages", "db", "dist", "index.js")).href);
}
