// `npm test`: set everything up, run every test (vitest in each package, Playwright e2e in
// Chromium) against a real PostgreSQL, and the static checks (sherif, format:check, knip, lint, one
// count each), and print one closing line `N passed, N failed, N skipped`.
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { runChecks } from "./lib/checks.mjs";
import { findChromium } from "./lib/chromium.mjs";
import { importDbTesting } from "./lib/database.mjs";
import { fail, step } from "./lib/log.mjs";
import { repoRoot } from "./lib/paths.mjs";
import { playwrightCounts, sum, vitestCounts } from "./lib/results.mjs";
import { run } from "./lib/run.mjs";
import { build, prepareWorkspace } from "./lib/setup.mjs";
import { workspacePackages } from "./lib/workspace.mjs";

const reportDir = path.resolve(process.env.SIPLENS_TEST_REPORT_DIR ?? path.join(repoRoot, ".test-reports"));

async function main() {
  // Checked first: no point building for minutes to stop at the browser.
  const chromium = findChromium();
  if (!chromium) {
    fail(
      "Chromium is missing (needed for the end-to-end tests).\nInstall it with:  sudo apt-get install -y chromium\n(or set CHROMIUM_PATH to a Chromium/Chrome binary)",
    );
  }

  const env = await prepareWorkspace();
  const counts = [];
  // A package that does not build fails the run, but the tests still run: they import sources.
  if ((await build(env, [], { allowFailure: true })) !== 0) {
    step("the build failed (see above): counted as one failure, running the tests anyway");
    counts.push({ passed: 0, failed: 1, skipped: 0 });
  }
  // Workspace consistency, formatting, dead code and lint: each counts as one test.
  counts.push(...(await runChecks(env)));

  const db = await importDbTesting();
  // One server for the run; each package that needs a database makes its own there (its vitest
  // globalSetup, @siplens/db/testing), so packages without one get none.
  const server = await db.provideServer({ databaseUrl: process.env.DATABASE_URL || undefined, log: step });
  step(`PostgreSQL for the tests: ${server.source}`);
  const databases = [];

  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  try {
    for (const { dir, manifest } of workspacePackages()) {
      if (!manifest.scripts?.test) continue;
      const name = manifest.name;
      const reportFile = path.join(reportDir, `${name.replace(/[@/]/g, "_")}.vitest.json`);
      step(`unit and integration tests: ${name}`);
      const status = await run("pnpm", ["--filter", name, "run", "test", "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`], {
        env: { ...env, DATABASE_URL: server.url, CI: env.CI ?? "true" },
        stdout: "inherit",
        allowFailure: true,
      });
      const result = vitestCounts(reportFile) ?? { passed: 0, failed: 1, skipped: 0 };
      if (status !== 0 && result.failed === 0) result.failed = 1; // the runner itself failed
      counts.push(result);
      step(`${name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
    }

    step("end-to-end tests (Playwright, Chromium)");
    const e2eReport = path.join(reportDir, "e2e.playwright.json");
    const e2eDatabase = await db.createTestDatabase("e2e", { databaseUrl: server.url });
    databases.push(e2eDatabase);
    const e2eStatus = await run("pnpm", ["--filter", "@siplens/e2e", "run", "test:e2e"], {
      env: {
        ...env,
        DATABASE_URL: e2eDatabase.url,
        CHROMIUM_PATH: chromium,
        PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport,
        // A free port, so a server left running (or another checkout's tests) cannot collide.
        E2E_PORT: process.env.E2E_PORT ?? String(await db.freePort()),
        CI: env.CI ?? "true",
      },
      stdout: "inherit",
      allowFailure: true,
    });
    const e2e = playwrightCounts(e2eReport) ?? { passed: 0, failed: 1, skipped: 0 };
    if (e2eStatus !== 0 && e2e.failed === 0) e2e.failed = 1;
    counts.push(e2e);
    step(`e2e: ${e2e.passed} passed, ${e2e.failed} failed, ${e2e.skipped} skipped`);
  } finally {
    for (const database of databases) await database.drop().catch(() => {});
    await server.stop().catch(() => {});
  }

  const total = sum(counts);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(total.failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  step(`npm test could not run: ${error instanceof Error ? error.message : String(error)}`);
  console.log("0 passed, 1 failed, 0 skipped");
  process.exit(1);
});
