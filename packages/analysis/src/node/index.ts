/**
 * Node edge: analyse a file or stdin as a stream (never read whole into memory).
 */
import { createReadStream } from "node:fs";
import { once } from "node:events";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Readable } from "node:stream";
import { analyzeStreamToParts, type AnalyzeOptions } from "../analyze.js";
import type { BlockCodec } from "../model/payloads.js";
import type { ResultParts } from "../result/parts.js";

const CHUNK = 1 << 20;

async function* chunksOf(stream: Readable): AsyncIterable<Uint8Array> {
  for await (const chunk of stream) {
    const c = chunk as Uint8Array | string;
    yield typeof c === "string" ? new TextEncoder().encode(c) : new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
  }
}

/** Analyses a readable byte stream (file, stdin, upload). */
export function analyzeReadable(stream: Readable, opts?: AnalyzeOptions): Promise<ResultParts> {
  return analyzeStreamToParts(chunksOf(stream), opts);
}

/** Analyses a file by path, streaming it; "-" means stdin. */
export function analyzeFile(path: string, opts?: AnalyzeOptions): Promise<ResultParts> {
  const stream = path === "-" ? process.stdin : createReadStream(path, { highWaterMark: CHUNK });
  return analyzeReadable(stream, opts);
}

/** Writes chunks to a stream, waiting for it to drain: output never piles up in memory. */
export async function writeChunks(out: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, "drain");
  }
}

/** Blocks of message texts as deflated JSON (zlib, fast level): what big traces keep of raw text. */
export function zlibBlockCodec(level = 1): BlockCodec {
  return {
    encode: (texts) => new Uint8Array(deflateRawSync(JSON.stringify(texts), { level })),
    decode: (bytes) => JSON.parse(inflateRawSync(bytes).toString("utf8")) as string[],
  };
}
