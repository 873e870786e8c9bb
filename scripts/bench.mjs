// `npm run bench`: the analysis throughput bench and the API load bench (autocannon), each
// package's own "bench" script. The API bench gets a fresh migrated database.
import { importDbTesting } from "./lib/database.mjs";
import { step } from "./lib/log.mjs";
import { run } from "./lib/run.mjs";
import { build, prepareWorkspace } from "./lib/setup.mjs";
import { workspacePackages } from "./lib/workspace.mjs";

const benches = ["@siplens/analysis", "@siplens/api"];

async function main() {
  const env = await prepareWorkspace();
  await build(env, benches);
  const manifests = new Map(workspacePackages().map(({ manifest }) => [manifest.name, manifest]));
  let failed = 0;
  for (const name of benches) {
    if (!manifests.get(name)?.scripts?.bench) {
      step(`${name} has no "bench" script yet: skipped`);
      continue;
    }
    const benchEnv = { ...env };
    let cleanup = async () => {};
    if (name === "@siplens/api") {
      const db = await importDbTesting();
      const database = await db.createTestDatabase("bench", { databaseUrl: process.env.DATABASE_URL || undefined, log: step });
      benchEnv.DATABASE_URL = database.url;
      cleanup = () => database.drop();
    }
    step(`bench: ${name}`);
    try {
      failed += (await run("pnpm", ["--filter", name, "run", "bench"], { env: benchEnv, stdout: "inherit", allowFailure: true })) === 0 ? 0 : 1;
    } finally {
      await cleanup();
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
