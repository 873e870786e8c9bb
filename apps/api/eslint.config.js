import { base } from "@siplens/eslint-config/base";
import { defineConfig } from "eslint/config";

export default defineConfig(base(import.meta.url), {
  // Fastify plugins, hooks and handlers are async by contract (the returned promise says they are done), await or not.
  rules: { "@typescript-eslint/require-await": "off" },
});
