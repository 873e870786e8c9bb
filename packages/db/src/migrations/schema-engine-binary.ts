import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

function runsAsSchemaEngine(candidate: string): boolean {
  const probe = spawnSync(candidate, ["--version"], { encoding: "utf8", timeout: 15_000 });
  return probe.status === 0 && /schema-engine/i.test(`${probe.stdout}${probe.stderr}`);
}

function bundledEngineCandidates(): string[] {
  try {
    const prismaDir = path.dirname(require.resolve("prisma/package.json"));
    const enginesDir = path.dirname(require.resolve("@prisma/engines/package.json", { paths: [prismaDir] }));
    return readdirSync(enginesDir)
      .filter((name) => name.startsWith("schema-engine"))
      .map((name) => path.join(enginesDir, name));
  } catch {
    return [];
  }
}

/**
 * The real schema-engine binary, when this machine has one: PRISMA_SCHEMA_ENGINE_BINARY (ignored
 * when it is our generate-only stub) or the binary Prisma's postinstall downloaded. Undefined
 * offline, which sends migrations through the wasm engine instead.
 */
export function findSchemaEngineBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.PRISMA_SCHEMA_ENGINE_BINARY, ...bundledEngineCandidates()].filter((candidate): candidate is string => Boolean(candidate));
  return candidates.find(runsAsSchemaEngine);
}

export function prismaCliPath(): string {
  return path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");
}
