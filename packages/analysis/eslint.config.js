import { base } from "@siplens/eslint-config/base";
import { pipeline } from "@siplens/eslint-config/pipeline";
import { defineConfig } from "eslint/config";

export default defineConfig(base(import.meta.url), pipeline);
