// The analysis pipeline runs one way: ingest (bytes → SIP message texts) → sip (text → parsed
// message) → model (calls, dialogs) → diagnosis → ladder/result. These zones keep each stage
// free of the stages after it, and the parser free of where its text came from, so each stage
// can be tested and reused on its own input.
import { defineConfig } from "eslint/config";

/**
 * @param {string} stage folder under src/
 * @param {string[]} forbidden folders under src/ that stage must not import
 * @param {string} why the message ESLint shows
 */
function zone(stage, forbidden, why) {
  return {
    files: [`src/${stage}/**/*.{ts,tsx}`],
    // A test may drive its stage with the stages before it (read a capture to parse its messages).
    ignores: ["**/*.test.ts", "**/test-support.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: forbidden.map((target) => ({ regex: `(^|/)${target}(/|$)`, message: `${stage} must not import ${target}: ${why}` })) },
      ],
    },
  };
}

export const pipeline = defineConfig(
  zone("ingest", ["model", "diagnosis"], "ingest only turns bytes into message texts; calls and their diagnosis come later."),
  zone("sip", ["ingest"], "the parser reads one message's text and does not know the capture format it came from."),
  zone("model", ["diagnosis", "ladder"], "the call model is the diagnosis's and the ladder's input, not their user."),
);
