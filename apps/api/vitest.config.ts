import { defineConfig } from "vitest/config";

// "source" resolves workspace packages to their TypeScript sources, so tests never need a build.
const conditions = ["source", "module", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One migrated database for the run (DATABASE_URL's, or a fresh one on 127.0.0.1:5432).
    globalSetup: ["./test/global-setup.ts"],
    // The files share one machine with other engineers: keep the worker threads few.
    fileParallelism: false,
  },
});
