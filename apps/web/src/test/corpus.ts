import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeBytes } from "@siplens/analysis";
import type { AnalysisResult } from "@siplens/contracts";

/** Vitest runs from apps/web; the examples are the real corpus traces the start page offers. */
export function exampleBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(process.cwd(), "public/examples", file)));
}

/** Real analyzer output for a shipped example trace. */
export function analyzeExample(file: string): AnalysisResult {
  return analyzeBytes(exampleBytes(file));
}
