// `prisma generate` that works offline: generation needs no schema engine, but the CLI insists
// on one being configured, so point it at a stub; and prisma.config.ts requires DATABASE_URL.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismaCli = path.join(path.dirname(createRequire(import.meta.url).resolve("prisma/package.json")), "build", "index.js");

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? path.join(packageRoot, "bin", "schema-engine-stub"),
  DATABASE_URL: process.env.DATABASE_URL || "postgresql://generate-only@localhost:5432/unused",
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const result = spawnSync(process.execPath, [prismaCli, "generate", "--config", "prisma.config.ts"], {
  cwd: packageRoot,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
