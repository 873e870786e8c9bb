// What the fuzzer exercises, and what must hold for every input: each reader (through the one
// entry point, createTraceReader, as every caller uses it), the SIP parser, and the whole analysis.
// The properties are the product's promise about input: no exception past the boundary (readers
// and the parser report problems instead), time linear in the input, output bounded by it.
import type fc from "fast-check";
import { analyzeBytesToParts, NotATraceError } from "../../src/analyze.js";
import { createTraceReader } from "../../src/ingest/index.js";
import { parseSipBytes, parseSipMessage } from "../../src/sip/parse.js";
import { scanSipMessage } from "../../src/sip/scan.js";
import { fuzzInputs, type FuzzInput } from "./mutations.js";
import { seedGroups, sipMessageSeeds } from "./seeds.js";

/** Inflation cap the fuzzed readers run with, so a gzip bomb costs milliseconds, not minutes. */
const FUZZ_MAX_INPUT_BYTES = 1024 * 1024;

interface Outcome {
  /** Bytes the reader really had to look at (for gzip: what it inflated, up to the cap). */
  effectiveBytes: number;
  messages: number;
  messageChars: number;
  problems: number;
}

export interface FuzzTarget {
  name: string;
  inputs: fc.Arbitrary<FuzzInput>;
  /** Runs the input; throws only for a broken promise. */
  run(input: FuzzInput): Outcome;
  /** Milliseconds allowed per input byte on top of a fixed allowance (generous: the machine is shared). */
  msPerByte: number;
}

function readTrace(input: FuzzInput): Outcome {
  const out: Outcome = { effectiveBytes: input.bytes.length, messages: 0, messageChars: 0, problems: 0 };
  const reader = createTraceReader(
    {
      message: (m) => {
        out.messages++;
        out.messageChars += m.text.length;
      },
      problem: () => out.problems++,
      captureSpan: () => {},
    },
    { maxInputBytes: FUZZ_MAX_INPUT_BYTES },
  );
  for (let i = 0; i < input.bytes.length; i += input.chunk) reader.push(input.bytes.subarray(i, i + input.chunk));
  reader.end();
  reader.detected();
  reader.notATrace();
  if (input.bytes[0] === 0x1f && input.bytes[1] === 0x8b) out.effectiveBytes = FUZZ_MAX_INPUT_BYTES;
  return out;
}

const encoder = new TextEncoder();

/** The parser catches its own bugs and reports "parser failure": for the fuzzer that is a failure. */
function parseMessage(input: FuzzInput): Outcome {
  const text = new TextDecoder("latin1").decode(input.bytes);
  const results = [parseSipMessage(text), parseSipBytes(input.bytes), scanSipMessage(text)];
  let problems = 0;
  for (const r of results) {
    if (!r) continue;
    const failure = r.problems.find((p) => p.message.startsWith("parser failure"));
    if (failure) throw new Error(`the parser caught its own bug: ${failure.message}`);
    problems += r.problems.length;
  }
  return { effectiveBytes: input.bytes.length, messages: 1, messageChars: 0, problems };
}

/** The whole pipeline; a bug the analysis catches (a failed diagnosis rule) is still a bug. */
function analyzeWhole(input: FuzzInput): Outcome {
  try {
    const parts = analyzeBytesToParts(input.bytes, { maxInputBytes: FUZZ_MAX_INPUT_BYTES });
    const failed = parts.model.problems.find((p) => p.where === "diagnosis");
    if (failed) throw new Error(failed.message);
    // The parts are built lazily: build them all, as the API worker does when it stores them.
    for (const _ of parts.callDetails());
    let messageChars = 0;
    for (const block of parts.messageBlocks()) for (const raw of block.raw) messageChars += raw.length;
    return { effectiveBytes: input.bytes.length, messages: parts.overview.messageCount, messageChars, problems: parts.overview.problems.length };
  } catch (e) {
    if (e instanceof NotATraceError) return { effectiveBytes: input.bytes.length, messages: 0, messageChars: 0, problems: 1 };
    throw e;
  }
}

/** Groups text seeds by the format the reader recognises in them, so each text format is its own target. */
function textFormatGroups(texts: Uint8Array[]): Map<string, Uint8Array[]> {
  const groups = new Map<string, Uint8Array[]>();
  for (const t of texts) {
    const reader = createTraceReader({ message: () => {}, problem: () => {} });
    reader.push(t);
    reader.end();
    const name = reader.detected()?.name ?? "unrecognised text";
    groups.set(name, [...(groups.get(name) ?? []), t]);
  }
  return groups;
}

export function fuzzTargets(): FuzzTarget[] {
  const seeds = seedGroups();
  const reader = (name: string, group: Uint8Array[]): FuzzTarget => ({ name, inputs: fuzzInputs(group), run: readTrace, msPerByte: 0.05 });
  const binary: [string, Uint8Array[]][] = [
    ["pcap", seeds.pcap],
    ["pcapng", seeds.pcapng],
    ["Network Monitor", seeds.netmon],
    ["encapsulations (VLAN, QinQ, MPLS, PPPoE, GRE, ERSPAN, VXLAN, GTP-U, IP-in-IP, SLL, SLL2, null, raw IP, PPP)", seeds.encapsulations],
    ["TCP reassembly", seeds.tcp],
    ["IP fragments", seeds.fragments],
    ["WebSocket", seeds.websocket],
    ["HEP", seeds.hep],
    ["gzip", seeds.gzip],
  ];
  const text = [...textFormatGroups(seeds.text)].map(([name, group]) => reader(`text: ${name}`, group));
  const messages = sipMessageSeeds().map((m) => encoder.encode(m));
  const small = [...seeds.pcap.slice(0, 2), ...seeds.tcp.slice(0, 2), ...seeds.text.filter((t) => t.length < 16 * 1024).slice(0, 12)];
  return [
    ...binary.map(([name, group]) => reader(name, group)),
    ...text,
    { name: "SIP parser", inputs: fuzzInputs(messages), run: parseMessage, msPerByte: 0.05 },
    { name: "whole analysis (model, correlation, diagnosis, result parts)", inputs: fuzzInputs(small), run: analyzeWhole, msPerByte: 0.2 },
  ];
}

/** Fixed allowance per input, for start-up costs and a GC pause on a busy machine. */
const BASE_MS = 400;
/** Per push(): generous, as the machine may be shared (a few µs when it is not). */
const MS_PER_PUSH = 0.15;

/** Runs one input and checks every promise; throws with the recipe when one is broken. */
export function checkInput(target: FuzzTarget, input: FuzzInput): void {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = target.run(input);
  } catch (e) {
    throw new Error(
      `${target.name}: threw on ${input.recipe} (${input.bytes.length} bytes, chunk ${input.chunk}): ${e instanceof Error ? e.stack : String(e)}`,
      { cause: e },
    );
  }
  const ms = performance.now() - started;
  // Cost is linear in bytes and in pushes: a 1-byte chunk pays the per-call overhead each time.
  const pushes = Math.ceil(input.bytes.length / input.chunk);
  const allowed = BASE_MS + target.msPerByte * outcome.effectiveBytes + MS_PER_PUSH * pushes;
  if (ms > allowed)
    throw new Error(`${target.name}: ${ms.toFixed(0)} ms for ${input.bytes.length} bytes (allowed ${allowed.toFixed(0)} ms) on ${input.recipe}`);
  // Every message text comes out of the input; a TCP stream or a text dump may repeat some, never more.
  const maxChars = 4 * outcome.effectiveBytes + 4096;
  if (outcome.messageChars > maxChars)
    throw new Error(`${target.name}: ${outcome.messageChars} characters of messages out of ${input.bytes.length} bytes on ${input.recipe}`);
  const maxProblems = 200 + outcome.messages * 8;
  if (outcome.problems > maxProblems)
    throw new Error(`${target.name}: ${outcome.problems} problems for ${outcome.messages} messages (problems must be grouped) on ${input.recipe}`);
}
