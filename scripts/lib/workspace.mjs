import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.mjs";

/** Workspace packages (apps/*, packages/*, tooling/*, e2e) with their package.json. */
export function workspacePackages() {
  const dirs = ["apps", "packages", "tooling"].flatMap((group) => {
    const base = path.join(repoRoot, group);
    return existsSync(base) ? readdirSync(base).map((name) => path.join(base, name)) : [];
  });
  dirs.push(path.join(repoRoot, "e2e"));
  return dirs
    .filter((dir) => existsSync(path.join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) }));
}
