// apps/web: the base config, browser globals and the rules of hooks.
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { base } from "./base.js";

/** @param {string} root the package folder (`import.meta.dirname` of its eslint.config.js) */
export function react(root) {
  return defineConfig(base(root), reactHooks.configs.flat.recommended, {
    files: ["src/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  });
}
