// The static checks `npm test` counts beside the tests: one passed or failed each, output shown only on failure.
import { spawn } from "node:child_process";
import { step } from "./log.mjs";
import { repoRoot } from "./paths.mjs";

/** Each root script (package.json), in the order they run: the slow type-checked lint last. */
const CHECKS = ["sherif", "format:check", "knip", "lint"];

/** Runs one root script with its output held back; resolves to its exit status and that output. */
function runHeld(script, env) {
  return new Promise((resolve) => {
    const child = spawn("pnpm", ["run", "--silent", script], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    const chunks = [];
    child.stdout.on("data", (chunk) => chunks.push(chunk));
    child.stderr.on("data", (chunk) => chunks.push(chunk));
    child.on("error", (error) => resolve({ status: 1, output: String(error) }));
    child.on("close", (code) => resolve({ status: code ?? 1, output: Buffer.concat(chunks).toString("utf8") }));
  });
}

/** Runs every check; returns one count per check. */
export async function runChecks(env) {
  const counts = [];
  for (const script of CHECKS) {
    const started = performance.now();
    const { status, output } = await runHeld(script, env);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (status === 0) {
      step(`check ${script}: passed (${seconds} s)`);
      counts.push({ passed: 1, failed: 0, skipped: 0 });
    } else {
      process.stderr.write(output.endsWith("\n") ? output : `${output}\n`);
      step(`check ${script}: FAILED (${seconds} s, output above; run \`pnpm ${script}\` to repeat it)`);
      counts.push({ passed: 0, failed: 1, skipped: 0 });
    }
  }
  return counts;
}
