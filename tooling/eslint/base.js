// The config every package starts from: type-checked TypeScript through the project service (each
// package's tsconfig.json covers its sources, tests, bench and configs, so nothing is linted untyped).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

/** @param {string} configUrl `import.meta.url` of the package's eslint.config.js: its folder is the package's */
export function base(configUrl) {
  return defineConfig(
    { ignores: ["**/dist/**", "**/generated/**", "**/node_modules/**", "**/test-results/**", "**/coverage/**"] },
    js.configs.recommended,
    tseslint.configs.recommendedTypeChecked,
    {
      linterOptions: { reportUnusedDisableDirectives: "error" },
      languageOptions: {
        globals: { ...globals.node },
        parserOptions: {
          // Plain JS entry points (bin, scripts, this config) are in no tsconfig: a default project types them.
          projectService: {
            allowDefaultProject: ["*.js", "*.mjs", "bin/*.mjs", "scripts/*.mjs", "bench/*.mjs", "src/workers/*.mjs", "test/fixtures/*/gen/*.mjs"],
          },
          // A file: URL's path, decoded (what fileURLToPath gives on POSIX, without Node types in this untyped file).
          tsconfigRootDir: decodeURIComponent(new URL(".", configUrl).pathname),
        },
      },
      rules: {
        "@typescript-eslint/consistent-type-imports": "error",
        "@typescript-eslint/no-non-null-assertion": "error",
        "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      },
    },
    {
      files: ["**/*.test.{ts,tsx}", "**/test/**", "**/tests/**", "**/test-support.ts"],
      rules: {
        // A wrong `!` in a test fails that test with a TypeError at its line, which is the check a test wants.
        "@typescript-eslint/no-non-null-assertion": "off",
        // vitest types its asymmetric matchers (expect.any, expect.stringMatching, …) `any` so they stand for any value.
        "@typescript-eslint/no-unsafe-assignment": "off",
      },
    },
  );
}
