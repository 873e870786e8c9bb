// apps/web: the base config, browser globals and the rules of hooks.
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { base } from "./base.js";

/** @param {string} configUrl `import.meta.url` of apps/web's eslint.config.js */
export function react(configUrl) {
  return defineConfig(base(configUrl), reactHooks.configs.flat.recommended, {
    files: ["src/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    // We do not run the React Compiler: this only reports that it would skip components using such hooks (useVirtualizer).
    rules: { "react-hooks/incompatible-library": "off" },
  });
}
