import { defineConfig, devices } from "@playwright/test";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * End-to-end tests against the real built app: the API (apps/api/dist/server.js) serving the built
 * web app (apps/web/dist) on a real Postgres (DATABASE_URL, a fresh migrated database), driven by
 * Debian's Chromium (CHROMIUM_PATH) — no Playwright browser download.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
const chromium = process.env.CHROMIUM_PATH || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

if (!process.env.DATABASE_URL) throw new Error("e2e needs DATABASE_URL: a fresh, migrated database (scripts/test.mjs provides one)");

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? "test-results/results.json" }]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, headless: true } }],
  webServer: {
    command: "node apps/api/dist/server.js",
    cwd: root,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: process.env.DATABASE_URL,
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: baseURL,
      WEB_DIST: `${root}apps/web/dist`,
      LOG_LEVEL: "warn",
      AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-only-secret-not-for-production-0123456789",
      // The suite signs up several users and creates many analyses within a minute.
      RATE_LIMIT_MAX: "100000",
      RATE_LIMIT_ANALYSES_MAX: "10000",
      RATE_LIMIT_AUTH_MAX: "10000",
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
    },
  },
});
