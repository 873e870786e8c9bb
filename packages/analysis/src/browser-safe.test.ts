// The core runs in the browser too: only src/node and src/cli (the Node edge) may use Node APIs.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL(".", import.meta.url));
const NODE_EDGE = /^(node|cli)\//;
const TEST_ONLY = /(\.test\.ts|test-support\.ts)$/;
const NODE_ONLY = /from\s+["']node:|require\(|\bBuffer\.|\bprocess\.|from\s+["'](fs|path|zlib|stream|crypto|os)["']/;

function coreFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return coreFiles(path);
    const rel = relative(SRC, path);
    return e.name.endsWith(".ts") && !NODE_EDGE.test(rel) && !TEST_ONLY.test(rel) ? [rel] : [];
  });
}

describe("analysis core", () => {
  const files = coreFiles(SRC);
  it("has modules to check", () => expect(files.length).toBeGreaterThan(20));
  it("uses no Node-only API outside src/node and src/cli", () => {
    const offenders = files.filter((rel) => NODE_ONLY.test(readFileSync(join(SRC, rel), "utf8")));
    expect(offenders).toEqual([]);
  });
});
