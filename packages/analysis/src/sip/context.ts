/** Shared state of one parse: the result being filled and the problem list with its cap. */
import type { ParsedSip, ParseProblem } from "./types.js";

export interface ParseOptions {
  /** Real body size in bytes when the caller has the raw bytes (a binary body decodes lossily). */
  bodyBytes?: number;
}

export interface Ctx {
  out: ParsedSip;
  /** Content-Length values seen, to catch disagreeing duplicates. */
  contentLengths: number[];
  /** Line of the first occurrence of each canonical header name. */
  firstLine: Map<string, number>;
  /** The header section uses bare LF line ends (no CR at all). */
  lfOnly: boolean;
  /** Problems beyond MAX_PROBLEMS, counted instead of listed. */
  suppressed: number;
}

/** Enough to explain any real message; a pathological one (100k stray commas) must not flood the result. */
const MAX_PROBLEMS = 50;

export function problem(ctx: Ctx, message: string, line?: number, severity?: "warning"): void {
  if (ctx.out.problems.length >= MAX_PROBLEMS) {
    ctx.suppressed++;
    return;
  }
  const p: ParseProblem = { message };
  if (line !== undefined) p.line = line;
  if (severity) p.severity = severity;
  ctx.out.problems.push(p);
}
