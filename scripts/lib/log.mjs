// Setup chatter goes to stderr: stdout belongs to whatever the script runs (the CLI's JSON).
const started = performance.now();

export function step(message) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`[siplens ${seconds.padStart(5)}s] ${message}\n`);
}

export function fail(message) {
  process.stderr.write(`\n[siplens] ${message}\n`);
  process.exit(1);
}
