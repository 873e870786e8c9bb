import { existsSync } from "node:fs";
import { capture } from "./run.mjs";

/** Debian's Chromium for Playwright: CHROMIUM_PATH, /usr/bin/chromium, or whatever PATH has. */
export function findChromium(env = process.env) {
  const candidates = [env.CHROMIUM_PATH, "/usr/bin/chromium", capture("sh", ["-c", "command -v chromium || command -v chromium-browser"])];
  return candidates.find((candidate) => candidate && existsSync(candidate));
}
