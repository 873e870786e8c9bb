import { defineConfig } from "vitest/config";

// "source" resolves workspace packages to their TypeScript sources, so tests never need a build.
const conditions = ["source", "module", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One fresh migrated database for the run, on DATABASE_URL's server (else 127.0.0.1:5432, else an embedded one).
    globalSetup: ["./test/global-setup.ts"],
    // The files share one machine with other engineers: keep the worker threads few.
    fileParallelism: false,
  },
});
