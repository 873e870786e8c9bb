import { defineConfig } from "vitest/config";

// "source" resolves workspace packages to their TypeScript sources, so tests never need a build.
const conditions = ["source", "module", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { testTimeout: 60_000, hookTimeout: 120_000 },
});
