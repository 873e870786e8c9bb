import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { envSchema } from "../src/config/env.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

interface TurboTask {
  env?: string[];
  passThroughEnv?: string[];
}
interface TurboJson {
  globalEnv?: string[];
  globalPassThroughEnv?: string[];
  tasks: Record<string, TurboTask>;
}
const turbo = JSON.parse(readFileSync(path.join(root, "turbo.json"), "utf8")) as TurboJson;

/** What turbo's strict env mode lets through to a task: names, or prefixes written `NAME_*`. */
function reaches(task: string): (name: string) => boolean {
  const t = turbo.tasks[task] ?? {};
  const declared = [...(turbo.globalEnv ?? []), ...(turbo.globalPassThroughEnv ?? []), ...(t.env ?? []), ...(t.passThroughEnv ?? [])];
  return (name) => declared.some((d) => (d.endsWith("*") ? name.startsWith(d.slice(0, -1)) : name === d));
}

const SKIP = new Set(["node_modules", "dist", "generated", "test-results", ".turbo"]);
function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(file);
    else if (/\.(?:[cm]?[jt]sx?)$/.test(entry.name)) yield file;
  }
}

const ENV_READ = /process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[["']([A-Z_][A-Z0-9_]*)["']\])/g;
/** The variables test code reads (test files, test folders, vitest configs, the db package's test provisioning). */
function readByTests(dirs: string[], isTestFile: (relative: string) => boolean): Map<string, string> {
  const names = new Map<string, string>();
  for (const dir of dirs) {
    for (const file of sources(path.join(root, dir))) {
      const relative = path.relative(root, file);
      if (!isTestFile(relative)) continue;
      for (const m of readFileSync(file, "utf8").matchAll(ENV_READ)) names.set(m[1] ?? m[2] ?? "", relative);
    }
  }
  return names;
}

describe("turbo.json names the environment once", () => {
  it("globalEnv lists exactly the variables config/env.ts reads", () => {
    expect([...(turbo.globalEnv ?? [])].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it("every variable a vitest test reads reaches turbo's test task", () => {
    const isTest = (f: string) => /\.test\.tsx?$|[\\/]test[\\/]|vitest\.config\.|[\\/]testing\.ts$/.test(f);
    const read = readByTests(["apps", "packages"], isTest);
    expect(read.size).toBeGreaterThan(0);
    const hidden = [...read].filter(([name]) => !reaches("test")(name)).map(([name, file]) => `${name} (${file})`);
    expect(hidden).toEqual([]);
  });

  it("every variable the end-to-end tests read reaches turbo's test:e2e task", () => {
    const read = readByTests(["e2e"], () => true);
    expect(read.has("CHROMIUM_PATH")).toBe(true);
    const hidden = [...read].filter(([name]) => !reaches("test:e2e")(name)).map(([name, file]) => `${name} (${file})`);
    expect(hidden).toEqual([]);
  });
});
