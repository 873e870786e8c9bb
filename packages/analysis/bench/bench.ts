/**
 * Analysis bench: siplens against sngrep and tshark, side by side on the same captures. Every
 * command is the program as a user runs it, in a child process of its own, with stdout to
 * /dev/null; /usr/bin/time reports its wall time, CPU time (user+sys) and peak RSS. The runs are
 * interleaved (siplens, sngrep, tshark, siplens, ...) because the machine is shared and noisy;
 * the table shows median and min over the runs that succeeded, and a failed run (crash, non-zero
 * exit, timeout) is reported with its exit code and time instead of failing the bench.
 *
 *   npm run bench                                  (repo root: builds, then runs this)
 *   pnpm --filter @siplens/analysis bench          (measures packages/analysis/dist as built)
 *
 * Commands, on each file:
 *   siplens   node packages/analysis/dist/cli/main.js analyze FILE --json   (and the summary mode
 *             without --json, and --ndjson when the CLI's --help lists it)
 *   sngrep    sngrep -I FILE -N -q -O /dev/null -l 10000000   (-l: keep every dialog, not the
 *             first 20000 of the default capture.limit, so it does the same work as siplens)
 *   tshark    tshark -r FILE -Y sip -T fields -e sip.Call-ID   (when installed; on the big capture
 *             only with BENCH_BIG_TSHARK=1: it needs ~35 min there, 18 min CPU, far past the timeout)
 *
 * Files: the corpus bulk capture S8a (~32 MB, 4000 calls) and, when BENCH_BIG names one, a capture
 * of >=500,000 SIP messages. Environment:
 *   BENCH_BIG=/path.pcap   the big capture (skipped with a note when unset or missing)
 *   BENCH_BIG_TSHARK=1     also run tshark on the big capture (raise BENCH_TIMEOUT_S to ~2400)
 *   BENCH_RUNS=3           runs per command and file
 *   BENCH_TIMEOUT_S=300    per run; a run killed by it counts as failed (exit 124)
 *   SIPLENS_CORPUS=/dir    where the corpus is (see test/corpus.ts)
 *
 * A big capture (~274 MB, ~505k SIP messages, ~10 min; needs sipp, kamailio, tshark from apt):
 * copy the corpus generator out of the read-only corpus into a folder of its own; the generator
 * writes its traces/ and manifest.json beside its gen/ folder:
 *   mkdir -p /tmp/bigcorpus && cp -r /work/shared/corpus/gen /tmp/bigcorpus/ && cd /tmp/bigcorpus/gen &&
 *   WORK_DIR=/tmp/bigcorpus/work TRACES_DIR=/tmp/bigcorpus/traces BIG_CALLS=33500 bash make-all.sh S8b
 *   BENCH_BIG=/tmp/bigcorpus/traces/S8b_big_perf_kamailio/S8b_big_perf_kamailio.pcap npm run bench
 *
 * Targets (printed as PASS/MISS, never an exit code): S8a --json at least as fast as sngrep (median
 * wall) with peak RSS <= 150 MiB; big --json >= 3x faster than sngrep (aim 5x), peak RSS <= 400 MiB
 * (aim 256).
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tracePath } from "../test/corpus.js";
import { itemAt, present } from "../src/access.js";

const BULK = tracePath("S8a_bulk_mixed_load_kamailio");
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const TIME = "/usr/bin/time";
const RUNS = Math.max(1, Number(process.env["BENCH_RUNS"] ?? 3) || 3);
const TIMEOUT_S = Math.max(1, Number(process.env["BENCH_TIMEOUT_S"] ?? 300) || 300);

interface Command {
  label: string;
  argv: string[];
  /** Keep stdout (small) in a file, to read the message count from the summary. */
  keepStdout?: boolean;
}

interface Run {
  ok: boolean;
  exit: number;
  wallS: number;
  cpuS: number;
  rssMiB: number;
  /** The error line of a failed run. */
  error?: string;
  stdout?: string;
}

function installed(program: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" }).status === 0;
}

function commands(file: string, ndjson: boolean, tshark: boolean): Command[] {
  const siplens = (label: string, ...args: string[]): Command => ({
    label,
    argv: [process.execPath, CLI, "analyze", file, ...args],
    keepStdout: args.length === 0,
  });
  const list = [siplens("siplens --json", "--json"), siplens("siplens summary")];
  if (ndjson) list.push(siplens("siplens --ndjson", "--ndjson"));
  if (installed("sngrep")) list.push({ label: "sngrep", argv: ["sngrep", "-I", file, "-N", "-q", "-O", "/dev/null", "-l", "10000000"] });
  if (tshark) list.push({ label: "tshark", argv: ["tshark", "-r", file, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"] });
  return list;
}

/** One run: /usr/bin/time around coreutils timeout around the command. */
function measure(cmd: Command, dir: string): Run {
  const timeFile = join(dir, "time.txt");
  const errFile = join(dir, "stderr.txt");
  const outFile = cmd.keepStdout ? join(dir, "stdout.txt") : "/dev/null";
  const out = openSync(outFile, "w");
  const err = openSync(errFile, "w");
  const t0 = performance.now();
  let r;
  try {
    r = spawnSync(TIME, ["-o", timeFile, "-f", "%e %U %S %M", "timeout", "-k", "5", String(TIMEOUT_S), ...cmd.argv], {
      stdio: ["ignore", out, err],
    });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const elapsed = (performance.now() - t0) / 1000;
  const timeLines = existsSync(timeFile) ? readFileSync(timeFile, "utf8").trim().split("\n") : [];
  const [wall, user, sys, rssKiB] = (timeLines.at(-1) ?? "").split(" ").map(Number);
  const exit = r.status ?? 128;
  const run: Run = {
    ok: exit === 0,
    exit,
    wallS: Number.isFinite(wall) ? present(wall) : elapsed,
    cpuS: (user ?? 0) + (sys ?? 0) || 0,
    rssMiB: (rssKiB ?? 0) / 1024 || 0,
  };
  if (!run.ok) {
    const lines = readFileSync(errFile, "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const why = exit === 124 ? `timed out after ${TIMEOUT_S} s` : (lines.find((l) => /error|fail|abort|killed/i.test(l)) ?? lines.at(-1) ?? timeLines[0] ?? "");
    run.error = why.slice(0, 120);
  }
  if (cmd.keepStdout && run.ok) run.stdout = readFileSync(outFile, "utf8").slice(0, 4096);
  return run;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? itemAt(s, m) : (itemAt(s, m - 1) + itemAt(s, m)) / 2;
};

interface Stats {
  label: string;
  runs: Run[];
  ok: Run[];
  wall: number;
  wallMin: number;
  cpu: number;
  cpuMin: number;
  rss: number;
}

function stats(label: string, runs: Run[]): Stats {
  const ok = runs.filter((r) => r.ok);
  const pick = (f: (r: Run) => number) => ok.map(f);
  return {
    label,
    runs,
    ok,
    wall: ok.length ? median(pick((r) => r.wallS)) : NaN,
    wallMin: ok.length ? Math.min(...pick((r) => r.wallS)) : NaN,
    cpu: ok.length ? median(pick((r) => r.cpuS)) : NaN,
    cpuMin: ok.length ? Math.min(...pick((r) => r.cpuS)) : NaN,
    rss: ok.length ? Math.max(...pick((r) => r.rssMiB)) : NaN,
  };
}

const num = (x: number, digits = 2, width = 8) => (Number.isFinite(x) ? x.toFixed(digits) : "-").padStart(width);

function table(s: Stats[], bytes: number): string[] {
  const head = `  ${"command".padEnd(17)} ${"ok".padStart(4)} ${"wall med".padStart(8)} ${"min".padStart(7)} ${"cpu med".padStart(8)} ${"min".padStart(7)} ${"RSS MiB".padStart(8)} ${"MB/s".padStart(7)}`;
  const rows = s.map(
    (x) =>
      `  ${x.label.padEnd(17)} ${`${x.ok.length}/${x.runs.length}`.padStart(4)} ${num(x.wall)} ${num(x.wallMin, 2, 7)} ${num(x.cpu)} ${num(x.cpuMin, 2, 7)} ${num(x.rss, 0)} ${num(bytes / 1e6 / x.wall, 1, 7)}`,
  );
  const failures = s.flatMap((x) =>
    x.runs.filter((r) => !r.ok).map((r) => `  ${x.label} failed: exit ${r.exit} after ${r.wallS.toFixed(2)} s, ${r.rssMiB.toFixed(0)} MiB: ${r.error}`),
  );
  return [head, ...rows, ...failures];
}

const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : "-");

/** Run every command on one file, RUNS rounds interleaved; print and return the stats. */
function benchFile(title: string, file: string, ndjson: boolean, withTshark: boolean, dir: string): Map<string, Stats> {
  const cmds = commands(file, ndjson, withTshark);
  const bytes = statSync(file).size;
  spawnSync("cat", [file], { stdio: ["ignore", "ignore", "ignore"] }); // page cache warm for the first run too
  const runs = new Map<string, Run[]>(cmds.map((c) => [c.label, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const c of cmds) {
      const r = measure(c, dir);
      present(runs.get(c.label)).push(r);
      process.stderr.write(`  [${title} ${i + 1}/${RUNS}] ${c.label}: ${r.ok ? "ok" : `exit ${r.exit}`} ${r.wallS.toFixed(2)} s\n`);
    }
  }
  const all = cmds.map((c) => stats(c.label, present(runs.get(c.label))));
  const byLabel = new Map(all.map((s) => [s.label, s]));
  const summary = byLabel.get("siplens summary")?.ok[0]?.stdout?.match(/(\d+) SIP messages/)?.[1];
  console.log(`\n${title}: ${basename(file)}, ${(bytes / 1e6).toFixed(1)} MB, ${summary ?? "?"} SIP messages (siplens), ${RUNS} runs each, interleaved`);
  for (const l of table(all, bytes)) console.log(l);
  const sngrep = byLabel.get("sngrep");
  const tshark = byLabel.get("tshark");
  const sip = all.filter((s) => s.label.startsWith("siplens"));
  if (sngrep) console.log(`  sngrep/siplens wall (median): ${sip.map((s) => `${s.label.slice(8)} ${ratio(sngrep.wall, s.wall)}`).join(", ")}`);
  if (tshark) console.log(`  tshark/siplens wall (median): ${sip.map((s) => `${s.label.slice(8)} ${ratio(tshark.wall, s.wall)}`).join(", ")}`);
  console.log(
    `  siplens peak RSS: ${sip.map((s) => `${s.label.slice(8)} ${num(s.rss, 0, 0)} MiB`).join(", ")}` +
      (sngrep ? `; sngrep ${num(sngrep.rss, 0, 0)} MiB` : "") +
      (tshark ? `; tshark ${num(tshark.rss, 0, 0)} MiB` : ""),
  );
  return byLabel;
}

/** One target: PASS only when every run of siplens --json succeeded and the figure is met. */
function target(name: string, json: Stats | undefined, figure: number, ok: boolean, shown: string): string {
  if (!json) return `${name}: -`;
  const failed = json.runs.length - json.ok.length;
  if (failed) return `${name}: MISS (${failed}/${json.runs.length} runs failed${json.ok.length ? `; ${shown}` : ""})`;
  return `${name}: ${Number.isFinite(figure) && ok ? "PASS" : "MISS"} (${shown})`;
}

function targets(res: Map<string, Stats>, small: boolean): string[] {
  const json = res.get("siplens --json");
  const sngrep = res.get("sngrep");
  const speed = sngrep && json ? sngrep.wall / json.wall : NaN;
  const rss = json?.rss ?? NaN;
  if (small)
    return [
      target("S8a --json as fast as sngrep", json, speed, speed >= 1, `${ratio(sngrep?.wall ?? NaN, json?.wall ?? NaN)}`),
      target("S8a --json RSS <= 150 MiB", json, rss, rss <= 150, `${num(rss, 0, 0)} MiB`),
    ];
  return [
    target(
      "big --json >= 3x faster than sngrep",
      json,
      speed,
      speed >= 3,
      `${ratio(sngrep?.wall ?? NaN, json?.wall ?? NaN)}, aim 5x: ${speed >= 5 ? "met" : "not met"}`,
    ),
    target("big --json RSS <= 400 MiB", json, rss, rss <= 400, `${num(rss, 0, 0)} MiB, aim 256: ${rss <= 256 ? "met" : "not met"}`),
  ];
}

function main(): void {
  if (!existsSync(BULK)) return fail(`corpus capture not found at ${BULK} (set SIPLENS_CORPUS)`);
  if (!existsSync(CLI)) return fail(`${CLI} not built: run "pnpm turbo run build" (npm run bench builds it)`);
  if (!existsSync(TIME)) return fail(`${TIME} missing: apt-get install time`);
  const help = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" }).stdout ?? "";
  const ndjson = help.includes("--ndjson");
  const tshark = installed("tshark");
  const dir = mkdtempSync(join(tmpdir(), "siplens-bench-"));
  try {
    console.log(`siplens analysis bench (node ${process.version}): wall/cpu in s, RSS = peak over runs; timeout ${TIMEOUT_S} s per run`);
    if (!installed("sngrep")) console.log("sngrep: not installed (apt-get install sngrep); no comparison");
    if (!tshark) console.log("tshark: not installed (apt-get install tshark); no comparison");
    if (!ndjson) console.log("siplens --ndjson: not in the CLI's --help; not measured");
    const lines = targets(benchFile("S8a", BULK, ndjson, tshark, dir), true);
    const big = process.env["BENCH_BIG"];
    if (!big) console.log("\nbig capture: skipped (BENCH_BIG unset; see bench/bench.ts for how to make one)");
    else if (!existsSync(big)) console.log(`\nbig capture: skipped (BENCH_BIG=${big} does not exist)`);
    else {
      const bigTshark = tshark && process.env["BENCH_BIG_TSHARK"] === "1";
      if (tshark && !bigTshark) console.log("\ntshark on the big capture: skipped (~35 min for 505k messages; BENCH_BIG_TSHARK=1 to run it)");
      lines.push(...targets(benchFile("big", big, ndjson, bigTshark, dir), false));
    }
    console.log(`\ntargets: ${lines.join(" | ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fail(message: string): void {
  console.error(`bench: ${message}`);
  process.exitCode = 2;
}

main();
