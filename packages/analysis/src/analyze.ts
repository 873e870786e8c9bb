/**
 * The pipeline: one streaming pass ingest -> parse -> incremental model, then diagnosis over the
 * finished model, then the result parts (read one at a time by the API and the CLI). Bad input never throws here except when the input
 * is not a trace at all (NotATraceError); everything else becomes a located Problem.
 */
import type { AnalysisResult, Finding } from "@siplens/contracts";
import { diagnose } from "./diagnosis/index.js";
import { correlateCalls } from "./correlate/index.js";
import { createTraceReader } from "./ingest/index.js";
import { ModelBuilder } from "./model/build.js";
import type { PayloadStore } from "./model/payloads.js";
import type { TraceModel } from "./model/types.js";
import { resultDocument } from "./result/document.js";
import { resultParts, type ResultParts } from "./result/parts.js";
import { parseSipMessage } from "./sip/index.js";
import { scanSipMessage } from "./sip/scan.js";
import type { ParsedSip } from "./sip/types.js";

/** Thrown ONLY when the input is not a trace at all (nothing recognisable). Everything else is a Problem in the result. */
export class NotATraceError extends Error {
  constructor(
    /** Human names of every format tried. */
    readonly tried: string[],
  ) {
    super(`not a SIP trace: nothing recognisable (tried ${tried.join(", ")})`);
    this.name = "NotATraceError";
  }
}

export interface AnalyzeOptions {
  /** Caps gzip inflation and total input (bytes). Default 512 MiB. */
  maxInputBytes?: number;
  /** Called now and then with bytes consumed so far. */
  onProgress?: (bytesRead: number) => void;
  /** Where message texts are kept (default: in memory; see model/payloads.ts). */
  payloads?: PayloadStore;
  /** Skip the 487 diagnosis (the bench measures the pipeline with and without it). Default false. */
  skipDiagnosis?: boolean;
  /** Replaces the diagnosis engine (tests). */
  diagnose?: (model: TraceModel) => Finding[];
}

export interface Analyzer {
  push(chunk: Uint8Array): void;
  finish(): ResultParts;
}

/** The same streaming pass, stopping at the TraceModel (diagnosis tests and tools build on it). */
export interface ModelAnalyzer {
  push(chunk: Uint8Array): void;
  finish(): TraceModel;
  readonly bytesRead: number;
}

/** Bytes are fed in slices so progress and gzip caps behave as for a stream. */
const SLICE = 1 << 20;

/** The fast path for the strict form real stacks send; the full, located reading for anything else. */
function readForModel(text: string): ParsedSip {
  return scanSipMessage(text) ?? parseSipMessage(text);
}

/** Streaming model builder: ingest -> parse -> incremental model, one pass. */
export function createModelAnalyzer(opts: AnalyzeOptions = {}): ModelAnalyzer {
  const builder = new ModelBuilder({ parse: readForModel, ...(opts.payloads ? { payloads: opts.payloads } : {}) });
  const reader = createTraceReader(
    { message: (m) => builder.add(m), problem: (p) => builder.problem(p), captureSpan: (s) => builder.captureSpan(s) },
    opts.maxInputBytes !== undefined ? { maxInputBytes: opts.maxInputBytes } : {},
  );
  let bytes = 0;
  let model: TraceModel | undefined;
  return {
    get bytesRead() {
      return bytes;
    },
    push(chunk) {
      if (model) return;
      reader.push(chunk);
      bytes += chunk.length;
      opts.onProgress?.(bytes);
    },
    finish() {
      if (model) return model;
      reader.end();
      const tried = reader.notATrace();
      const detected = reader.detected();
      if (tried || !detected) throw new NotATraceError(tried ?? []);
      model = builder.finish(detected.format, detected.name);
      model.correlation = correlateCalls(model);
      if (model.messages.length === 0) {
        model.problems.push({ where: "input", severity: "warning", message: `no SIP messages found in this ${detected.name} input` });
      }
      return model;
    },
  };
}

/** Streaming analyzer: push chunks as they arrive, then finish(). Memory bounded by SIP content. */
export function createAnalyzer(opts: AnalyzeOptions = {}): Analyzer {
  const inner = createModelAnalyzer(opts);
  let parts: ResultParts | undefined;
  return {
    push: (chunk) => inner.push(chunk),
    finish() {
      if (parts) return parts;
      const model = inner.finish();
      parts = resultParts(model, runDiagnosis(model, opts), { inputBytes: inner.bytesRead });
      return parts;
    },
  };
}

/** Reads a whole input into a TraceModel (no diagnosis). Throws NotATraceError like analyzeBytes. */
export function buildTraceModel(bytes: Uint8Array, opts?: AnalyzeOptions): TraceModel {
  const analyzer = createModelAnalyzer(opts);
  for (let p = 0; p < bytes.length; p += SLICE) analyzer.push(bytes.subarray(p, p + SLICE));
  return analyzer.finish();
}

/** A bug in one diagnosis rule must not cost the user the whole analysis: it becomes a problem. */
function runDiagnosis(model: TraceModel, opts: AnalyzeOptions): Finding[] {
  if (opts.skipDiagnosis) return [];
  try {
    return (opts.diagnose ?? diagnose)(model);
  } catch (e) {
    model.problems.push({
      where: "diagnosis",
      severity: "error",
      message: `the 487 diagnosis failed (${e instanceof Error ? e.message : String(e)}); messages and calls are still shown`,
    });
    return [];
  }
}

/** The parts of a whole input held in memory. */
export function analyzeBytesToParts(bytes: Uint8Array, opts?: AnalyzeOptions): ResultParts {
  const analyzer = createAnalyzer(opts);
  for (let p = 0; p < bytes.length; p += SLICE) analyzer.push(bytes.subarray(p, p + SLICE));
  return analyzer.finish();
}

export async function analyzeStreamToParts(source: AsyncIterable<Uint8Array>, opts?: AnalyzeOptions): Promise<ResultParts> {
  const analyzer = createAnalyzer(opts);
  for await (const chunk of source) analyzer.push(chunk);
  return analyzer.finish();
}

/** The whole result as one object: for small inputs and tests (big ones go through the parts). */
export function analyzeBytes(bytes: Uint8Array, opts?: AnalyzeOptions): AnalysisResult {
  return resultDocument(analyzeBytesToParts(bytes, opts));
}

export function analyzeText(text: string, opts?: AnalyzeOptions): AnalysisResult {
  return analyzeBytes(new TextEncoder().encode(text), opts);
}

export async function analyzeStream(source: AsyncIterable<Uint8Array>, opts?: AnalyzeOptions): Promise<AnalysisResult> {
  return resultDocument(await analyzeStreamToParts(source, opts));
}
