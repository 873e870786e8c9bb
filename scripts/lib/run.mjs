import { spawn, spawnSync } from "node:child_process";
import { repoRoot } from "./paths.mjs";

/**
 * Runs a command to completion. Its stdout is sent to our stderr unless `stdout: "inherit"`,
 * so setup output never mixes with a command's real output.
 */
export function run(command, args, { env = process.env, cwd = repoRoot, stdout = "stderr", allowFailure = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ["ignore", stdout === "inherit" ? "inherit" : process.stderr, "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      const status = code ?? (signal ? 128 : 1);
      if (status !== 0 && !allowFailure) {
        reject(new Error(`${command} ${args.join(" ")} exited with ${signal ?? code}`));
      } else {
        resolve(status);
      }
    });
  });
}

/** Output of a quick command, or undefined when it cannot run. */
export function capture(command, args, { env = process.env, cwd = repoRoot } = {}) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
