// The long fuzz campaign (`pnpm --filter @siplens/analysis fuzz`): FUZZ_INPUTS inputs (default
// 1,000,000) spread over every target of test/fuzz, randomly seeded, each target in a worker
// thread so that a hang is caught (no progress for FUZZ_HANG_SECONDS) instead of stalling the run.
// Prints inputs tried, failures and time per target; failing inputs are written to FUZZ_OUT.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import fc from "fast-check";
import { checkInput, fuzzTargets } from "../test/fuzz/targets.js";
import type { FuzzInput } from "../test/fuzz/mutations.js";
import { itemAt, present } from "../src/access.js";

const BATCH = 2000;
/** Room for the input being run, so the main thread can save it when the worker hangs. */
const SHARED_INPUT_BYTES = 4 * 1024 * 1024;

interface Job {
  target: number;
  inputs: number;
  seed: number;
  counter: SharedArrayBuffer;
  current: SharedArrayBuffer;
}

type Report = { kind: "failure"; recipe: string; error: string; bytes: Uint8Array } | { kind: "done"; tried: number; maxRssMiB: number };

if (isMainThread) await main();
else work(workerData as Job);

function work(job: Job): void {
  const target = itemAt(fuzzTargets(), job.target);
  const count = new Int32Array(job.counter);
  const current = new Uint8Array(job.current);
  const remember = (input: FuzzInput) => {
    const n = Math.min(input.bytes.length, SHARED_INPUT_BYTES - 4);
    current.set(input.bytes.subarray(0, n), 4);
    new DataView(job.current).setUint32(0, n);
    Atomics.add(count, 0, 1);
  };
  let tried = 0;
  for (let batch = 0; tried < job.inputs; batch++) {
    const runs = Math.min(BATCH, job.inputs - tried);
    const result = fc.check(
      fc.property(target.inputs, (input) => {
        remember(input);
        checkInput(target, input);
      }),
      { numRuns: runs, seed: job.seed + batch },
    );
    tried += result.failed ? result.numRuns : runs;
    if (result.failed && result.counterexample) {
      const [input] = result.counterexample;
      present(parentPort).postMessage({
        kind: "failure",
        recipe: input.recipe,
        error: String(result.errorInstance).slice(0, 2000),
        bytes: input.bytes,
      } satisfies Report);
    }
  }
  present(parentPort).postMessage({ kind: "done", tried, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) } satisfies Report);
}

async function main(): Promise<void> {
  const total = Number(process.env["FUZZ_INPUTS"] ?? 1_000_000);
  const hangSeconds = Number(process.env["FUZZ_HANG_SECONDS"] ?? 60);
  const seed = Number(process.env["FUZZ_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
  const out = process.env["FUZZ_OUT"] ?? "/tmp/siplens-fuzz";
  mkdirSync(out, { recursive: true });
  const targets = fuzzTargets();
  const perTarget = Math.ceil(total / targets.length);
  console.log(`fuzzing ${targets.length} targets, ${perTarget} inputs each, seed ${seed}; failing inputs go to ${out}`);
  let allTried = 0;
  let allFailures = 0;
  const started = performance.now();
  for (const [index, target] of targets.entries()) {
    const counter = new SharedArrayBuffer(4);
    const current = new SharedArrayBuffer(SHARED_INPUT_BYTES);
    const t0 = performance.now();
    const failures: string[] = [];
    const save = (name: string, bytes: Uint8Array, about: string) => {
      const file = join(out, `${index}-${name}`);
      writeFileSync(`${file}.bin`, bytes);
      writeFileSync(`${file}.txt`, `${target.name}\n${about}\n`);
      return file;
    };
    const outcome = await new Promise<{ tried: number; maxRssMiB: number }>((resolve) => {
      const worker = new Worker(new URL("./fuzz-worker.mjs", import.meta.url), {
        workerData: { target: index, inputs: perTarget, seed: seed + index * 1_000_003, counter, current } satisfies Job,
        execArgv: ["--conditions=source"],
      });
      const count = new Int32Array(counter);
      let last = 0;
      let still = 0;
      const watchdog = setInterval(() => {
        const now = Atomics.load(count, 0);
        still = now === last ? still + 5 : 0;
        last = now;
        if (still < hangSeconds) return;
        const n = new DataView(current).getUint32(0);
        const file = save(`hang-${now}`, new Uint8Array(current, 4, n).slice(), `no progress for ${hangSeconds} s on input ${now}`);
        failures.push(`HANG after ${now} inputs: input saved to ${file}.bin`);
        clearInterval(watchdog);
        void worker.terminate().then(() => resolve({ tried: now, maxRssMiB: 0 }));
      }, 5000);
      worker.on("message", (r: Report) => {
        if (r.kind === "failure") {
          const file = save(`fail-${failures.length}`, r.bytes, `${r.recipe}\n${r.error}`);
          failures.push(`${itemAt(r.error.split("\n"), 0).slice(0, 300)} (input: ${file}.bin)`);
        } else {
          clearInterval(watchdog);
          resolve({ tried: r.tried, maxRssMiB: r.maxRssMiB });
        }
      });
      worker.on("error", (e) => {
        clearInterval(watchdog);
        failures.push(`worker crashed: ${e.message}`);
        resolve({ tried: Atomics.load(count, 0), maxRssMiB: 0 });
      });
    });
    allTried += outcome.tried;
    allFailures += failures.length;
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `${target.name}: ${outcome.tried} inputs, ${failures.length} failures, ${secs.toFixed(1)} s (${Math.round(outcome.tried / secs)}/s), peak RSS ${outcome.maxRssMiB} MiB`,
    );
    for (const f of failures) console.log(`  ${f}`);
  }
  console.log(`fuzzing done: ${allTried} inputs tried, ${allFailures} failures, ${((performance.now() - started) / 60000).toFixed(1)} min, seed ${seed}`);
  process.exitCode = allFailures > 0 ? 1 : 0;
}
