/**
 * Node edge: analyse a file or stdin as a stream (never read whole into memory).
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import type { AnalysisResult } from "@siplens/contracts";
import { analyzeStream, type AnalyzeOptions } from "../analyze.js";

const CHUNK = 1 << 20;

async function* chunksOf(stream: Readable): AsyncIterable<Uint8Array> {
  for await (const chunk of stream) {
    const c = chunk as Uint8Array | string;
    yield typeof c === "string" ? new TextEncoder().encode(c) : new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
  }
}

/** Analyses a readable byte stream (file, stdin, upload). */
export function analyzeReadable(stream: Readable, opts?: AnalyzeOptions): Promise<AnalysisResult> {
  return analyzeStream(chunksOf(stream), opts);
}

/** Analyses a file by path, streaming it; "-" means stdin. */
export function analyzeFile(path: string, opts?: AnalyzeOptions): Promise<AnalysisResult> {
  const stream = path === "-" ? process.stdin : createReadStream(path, { highWaterMark: CHUNK });
  return analyzeReadable(stream, opts);
}
