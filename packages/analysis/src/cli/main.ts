#!/usr/bin/env node
/**
 * siplens CLI: `siplens analyze <file|-> [--json | --ndjson]`.
 * Exit codes: 0 ok, 1 unexpected failure, 2 usage (bad arguments, unreadable file), 3 not a trace
 * (or a summary that names SIP messages without carrying them).
 */
import { analyzeFile, writeChunks, zlibBlockCodec } from "../node/index.js";
import { BlockPayloads, DroppedPayloads } from "../model/payloads.js";
import { callLines, resultDocumentChunks } from "../result/document.js";
import { NotATraceError } from "../analyze.js";
import { formatSummary, summaryOnlyText } from "./summary.js";

const USAGE = `Usage: siplens analyze <file|-> [--json | --ndjson]

Reads a SIP trace (pcap, pcapng, gzip, or text: sngrep, ngrep, sipgrep, tcpdump -A, tshark -V,
SIPp -trace_msg, Kamailio sipdump, Asterisk, FreeSWITCH, Cisco, bare SIP) and explains every
487 Request Terminated. "-" reads standard input.

Options:
  --json     print the full analysis as one JSON document (written as it is produced)
  --ndjson   print one JSON line per call (row, outcome, findings), for pipelines
  --raw      include each message's raw text in the JSON (kept compressed while analysing)
  -h, --help show this help

Exit codes: 0 ok, 2 usage or unreadable file, 3 not a SIP trace (or a summary without the messages).
`;

interface Args {
  file: string;
  output: "summary" | "json" | "ndjson";
  includeRaw: boolean;
}

/** The arguments, or "help", or what is wrong with them. */
function parseArgs(argv: string[]): Args | string {
  if (argv.includes("-h") || argv.includes("--help") || argv.length === 0) return "help";
  const [command, ...rest] = argv;
  if (command !== "analyze") return `unknown command "${command}"`;
  let file: string | undefined;
  let output: Args["output"] = "summary";
  let includeRaw = false;
  for (const a of rest) {
    if (a === "--json" || a === "--ndjson") {
      const wanted = a === "--json" ? "json" : "ndjson";
      if (output !== "summary" && output !== wanted) return "--json and --ndjson exclude each other";
      output = wanted;
    } else if (a === "--raw") includeRaw = true;
    else if (a === "--no-raw")
      includeRaw = false; // the default now; accepted for older scripts
    else if (a.startsWith("-") && a !== "-") return `unknown option "${a}"`;
    else if (file === undefined) file = a;
    else return `unexpected argument "${a}"`;
  }
  if (file === undefined) return "missing <file|->";
  return { file, output, includeRaw };
}

function* withNewline(chunks: Iterable<string>): Generator<string> {
  yield* chunks;
  yield "\n";
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === "help") {
    process.stdout.write(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  if (typeof args === "string") {
    process.stderr.write(`siplens: ${args}\n\n${USAGE}`);
    return 2;
  }
  try {
    // Raw text is the bulk of a trace: keep it only when it will be printed.
    const payloads = args.includeRaw && args.output === "json" ? new BlockPayloads(zlibBlockCodec()) : new DroppedPayloads();
    const parts = await analyzeFile(args.file, { payloads });
    const source = args.file === "-" ? "stdin" : args.file;
    const notice = parts.overview.summaryOnly;
    if (notice) {
      process.stderr.write(summaryOnlyText(notice, source));
      return 3;
    }
    const chunks =
      args.output === "json"
        ? withNewline(resultDocumentChunks(parts, { includeRaw: args.includeRaw }))
        : args.output === "ndjson"
          ? callLines(parts)
          : [formatSummary(parts, source)];
    await writeChunks(process.stdout, chunks);
    return 0;
  } catch (e) {
    if (e instanceof NotATraceError) {
      process.stderr.write(`siplens: ${args.file} is not a SIP trace; tried: ${e.tried.join(", ")}\n`);
      return 3;
    }
    const code = (e as { code?: string }).code;
    if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
      process.stderr.write(`siplens: cannot read ${args.file}: ${(e as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`siplens: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

// main answers every failure with an exit code; it never rejects.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
