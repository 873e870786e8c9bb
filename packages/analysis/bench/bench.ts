/**
 * Throughput bench: MB/s, messages/s and peak RSS of the whole pipeline on the bulk capture of the
 * corpus and on a large generated text trace, with and without the 487 diagnosis, and the time
 * tshark needs to decode the same capture's SIP (when installed).
 *
 *   pnpm --filter @siplens/analysis bench            (from the repo root: npm run bench)
 *   BENCH_TEXT_MB=100 BENCH_SKIP_TSHARK=1 ...        (text size, skip tshark)
 *
 * Every case runs in a child process of its own so peak RSS is per case. Wall time on a shared
 * machine is noisy; CPU time (user+sys) is printed next to it and is the fairer comparison.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CORPUS_TRACES } from "../test/corpus.js";

const CORPUS = CORPUS_TRACES;
const BULK = join(CORPUS, "S8a_bulk_mixed_load_kamailio/S8a_bulk_mixed_load_kamailio.pcap");

interface CaseResult {
  bytes: number;
  messages: number;
  calls: number;
  findings: number;
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
}

/** Child side: analyse one file streamed from disk and report numbers as JSON. */
async function runCase(file: string, withDiagnosis: boolean, includeRaw: boolean): Promise<void> {
  // Imported lazily so the parent process stays small.
  const { analyzeReadable } = await import("../src/node/index.js");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await analyzeReadable(createReadStream(file, { highWaterMark: 1 << 20 }), {
    skipDiagnosis: !withDiagnosis,
    includeRaw,
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const out: CaseResult = {
    bytes: result.inputBytes,
    messages: result.messageCount,
    calls: result.calls.length,
    findings: result.findings.length,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(out));
}

function spawnCase(file: string, withDiagnosis: boolean, includeRaw = true): CaseResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, self, "--case", file, withDiagnosis ? "dx" : "nodx", includeRaw ? "raw" : "noraw"], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`bench case failed (${file}): ${r.stderr}`);
  return JSON.parse(r.stdout) as CaseResult;
}

function line(label: string, r: CaseResult): string {
  const mb = r.bytes / 1e6;
  return (
    `${label.padEnd(34)} ${mb.toFixed(1).padStart(7)} MB ${String(r.messages).padStart(8)} msgs ` +
    `${(r.wallMs / 1000).toFixed(2).padStart(7)} s wall ${(mb / (r.wallMs / 1000)).toFixed(1).padStart(7)} MB/s ` +
    `${Math.round(r.messages / (r.wallMs / 1000)).toString().padStart(8)} msg/s | cpu ${(r.cpuMs / 1000).toFixed(2)} s ` +
    `${(mb / (r.cpuMs / 1000)).toFixed(1)} MB/s | peak RSS ${r.maxRssMB.toFixed(0)} MB | ${r.findings} findings`
  );
}

/**
 * A large text trace: every ngrep text of the corpus, repeated with Call-IDs and Via branches made
 * unique per copy so each copy is new calls (not retransmissions), until `targetMB` is reached.
 */
function makeTextTrace(dir: string, targetMB: number): string {
  const sources = readdirSync(CORPUS)
    .map((d) => join(CORPUS, d, `${d}.ngrep.txt`))
    .filter((f) => existsSync(f) && !f.includes("S8a"))
    .map((f) => readFileSync(f, "utf8").replace(/^(input|filter|interface): .*\n/gm, ""));
  const base = sources.join("\n");
  const file = join(dir, "bench-text.ngrep.txt");
  const parts: string[] = ["input: bench.pcap\nfilter: (ip || ip6)\n\n"];
  let size = 0;
  for (let copy = 0; size < targetMB * 1e6; copy++) {
    const text = base
      .replace(/^(Call-ID|i):\s*/gim, (h) => `${h}r${copy}-`)
      .replace(/branch=z9hG4bK/g, `branch=z9hG4bKr${copy}-`);
    parts.push(text);
    size += text.length;
  }
  writeFileSync(file, parts.join("\n"));
  return file;
}

function tsharkSeconds(file: string): { wall: number; cpu: number; rssMB: number } | null {
  if (process.env["BENCH_SKIP_TSHARK"]) return null;
  const which = spawnSync("sh", ["-c", "command -v tshark"], { encoding: "utf8" });
  if (which.status !== 0) return null;
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "tshark", "-r", file, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const last = r.stderr.trim().split("\n").at(-1) ?? "";
  const [wall, user, sys, rss] = last.split(" ").map(Number);
  if (r.status !== 0 || wall === undefined || Number.isNaN(wall)) return null;
  return { wall, cpu: (user ?? 0) + (sys ?? 0), rssMB: (rss ?? 0) / 1024 };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--case") return runCase(args[1]!, args[2] === "dx", args[3] !== "noraw");
  if (!existsSync(BULK)) {
    console.error(`bench: corpus capture not found at ${BULK}`);
    process.exitCode = 2;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "siplens-bench-"));
  try {
    console.log(`siplens bench (node ${process.version})`);
    const bulk = { label: "S8a bulk capture (pcap)", file: BULK };
    const text = { label: "generated text trace (ngrep)", file: makeTextTrace(dir, Number(process.env["BENCH_TEXT_MB"] ?? 64)) };
    const results = new Map<string, CaseResult>();
    for (const { label, file } of [bulk, text]) {
      for (const dx of [false, true]) {
        const r = spawnCase(file, dx);
        results.set(`${file}|${dx}`, r);
        console.log(line(`${label}, ${dx ? "with" : "no"} diagnosis`, r));
      }
    }
    // What an API storing results without raw text pays (no header lists in the result).
    const lean = spawnCase(BULK, true, false);
    console.log(line(`${bulk.label}, with diagnosis, no raw`, lean));
    const ts = tsharkSeconds(BULK);
    const ours = results.get(`${BULK}|true`)!;
    if (ts) {
      console.log(
        `tshark -Y sip -T fields -e sip.Call-ID on the same capture: ${ts.wall.toFixed(2)} s wall, ${ts.cpu.toFixed(2)} s cpu, peak RSS ${ts.rssMB.toFixed(0)} MB`,
      );
      console.log(
        `ratio tshark/siplens (with diagnosis): ${(ts.wall / (ours.wallMs / 1000)).toFixed(2)}x wall, ${(ts.cpu / (ours.cpuMs / 1000)).toFixed(2)}x cpu`,
      );
    } else console.log("tshark: not installed (or BENCH_SKIP_TSHARK set); no comparison");
    console.log(`(${(statSync(text.file).size / 1e6).toFixed(0)} MB text generated in ${dir}, removed)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
