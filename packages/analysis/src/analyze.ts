/**
 * The pipeline: one streaming pass ingest -> parse -> incremental model, then diagnosis over the
 * finished model, then the plain-JSON result. Bad input never throws here except when the input
 * is not a trace at all (NotATraceError); everything else becomes a located Problem.
 */
import type { AnalysisResult, Finding } from "@siplens/contracts";
import { createTraceReader } from "./ingest/index.js";
import { ModelBuilder } from "./model/build.js";
import type { TraceModel } from "./model/types.js";
import { resultView } from "./model/view.js";
import { parseSipMessage } from "./sip/index.js";

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
  /** Include raw message text and headers in result.messages (default true). */
  includeRaw?: boolean;
  /** Skip the 487 diagnosis (the bench measures the pipeline with and without it). Default false. */
  skipDiagnosis?: boolean;
  /** Replaces the diagnosis engine (tests). */
  diagnose?: (model: TraceModel) => Finding[];
}

export interface Analyzer {
  push(chunk: Uint8Array): void;
  finish(): AnalysisResult;
}

/** Until src/diagnosis/index.ts lands, the pipeline runs without findings. */
function noDiagnosis(_model: TraceModel): Finding[] {
  return [];
}

/** Streaming analyzer: push chunks as they arrive, then finish(). Memory bounded by SIP content. */
export function createAnalyzer(opts: AnalyzeOptions = {}): Analyzer {
  const includeRaw = opts.includeRaw ?? true;
  const builder = new ModelBuilder({ parse: parseSipMessage, keepRaw: includeRaw });
  const reader = createTraceReader(
    { message: (m) => builder.add(m), problem: (p) => builder.problem(p) },
    opts.maxInputBytes !== undefined ? { maxInputBytes: opts.maxInputBytes } : {},
  );
  let bytes = 0;
  let finished = false;
  return {
    push(chunk) {
      if (finished) return;
      reader.push(chunk);
      bytes += chunk.length;
      opts.onProgress?.(bytes);
    },
    finish() {
      if (!finished) {
        finished = true;
        reader.end();
      }
      const tried = reader.notATrace();
      const detected = reader.detected();
      if (tried || !detected) throw new NotATraceError(tried ?? []);
      const model = builder.finish(detected.format, detected.name);
      const findings = runDiagnosis(model, opts);
      return resultView(model, findings, { includeRaw, inputBytes: bytes });
    },
  };
}

/** A bug in one diagnosis rule must not cost the user the whole analysis: it becomes a problem. */
function runDiagnosis(model: TraceModel, opts: AnalyzeOptions): Finding[] {
  if (opts.skipDiagnosis) return [];
  try {
    return (opts.diagnose ?? noDiagnosis)(model);
  } catch (e) {
    model.problems.push({
      where: "diagnosis",
      severity: "error",
      message: `the 487 diagnosis failed (${e instanceof Error ? e.message : String(e)}); messages and calls are still shown`,
    });
    return [];
  }
}

/** Bytes are fed in slices so progress and gzip caps behave as for a stream. */
const SLICE = 1 << 20;

export function analyzeBytes(bytes: Uint8Array, opts?: AnalyzeOptions): AnalysisResult {
  const analyzer = createAnalyzer(opts);
  for (let p = 0; p < bytes.length; p += SLICE) analyzer.push(bytes.subarray(p, p + SLICE));
  return analyzer.finish();
}

export function analyzeText(text: string, opts?: AnalyzeOptions): AnalysisResult {
  return analyzeBytes(new TextEncoder().encode(text), opts);
}

export async function analyzeStream(source: AsyncIterable<Uint8Array>, opts?: AnalyzeOptions): Promise<AnalysisResult> {
  const analyzer = createAnalyzer(opts);
  for await (const chunk of source) analyzer.push(chunk);
  return analyzer.finish();
}
