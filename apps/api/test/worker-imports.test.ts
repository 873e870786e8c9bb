import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src/", import.meta.url));
/** Imports that stay at run time (`import type` is erased by the compiler). */
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^;]*?\s+from\s+)?["']([^"']+)["']/gm;

/** Every module the file loads at run time, followed through relative imports: files under src/ and package names. */
function runtimeGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(RUNTIME_IMPORT)) {
      if (!spec) continue;
      if (spec.startsWith(".")) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  };
  visit(path.join(src, entry));
  return { files: [...files].map((f) => path.relative(src, f)), packages: [...packages] };
}

describe("the analysis worker thread", () => {
  it("loads the repositories without Fastify or any plugin of the app", () => {
    const { files, packages } = runtimeGraph("workers/analysis-worker.ts");
    expect(files).toContain(path.join("repositories", "analyses.ts"));
    expect(files.filter((f) => f.startsWith(`plugins${path.sep}`) || f.startsWith(`routes${path.sep}`))).toEqual([]);
    expect(packages.filter((p) => p === "fastify" || p.startsWith("fastify-") || p.startsWith("@fastify/"))).toEqual([]);
  });
});
