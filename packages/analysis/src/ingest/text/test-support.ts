/** Helpers for the text reader tests (test-only; not exported from the package). */
import type { Problem } from "@siplens/contracts";
import type { RawSipMessage } from "../types.js";
import { createTextIngestor, detectTextFormat } from "./index.js";

export interface ReadResult {
  format: string | null;
  messages: RawSipMessage[];
  problems: Problem[];
}

/** Detects and reads `bytes`, pushed in chunks of `chunkSize` (small chunks exercise the streaming). */
export function readText(bytes: Uint8Array | string, chunkSize = 4096): ReadResult {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const detected = detectTextFormat(new TextDecoder().decode(data.subarray(0, 64 * 1024)));
  const messages: RawSipMessage[] = [];
  const problems: Problem[] = [];
  if (!detected) return { format: null, messages, problems };
  const ingestor = createTextIngestor(detected, { message: (m) => messages.push(m), problem: (p) => problems.push(p) });
  for (let i = 0; i < data.length; i += chunkSize) ingestor.push(data.subarray(i, i + chunkSize));
  ingestor.end();
  return { format: detected.name, messages, problems };
}

export function header(text: string, name: string): string | undefined {
  return new RegExp(`^${name}[ \\t]*:[ \\t]*(.*?)\\r?$`, "im").exec(text)?.[1];
}

export const startLine = (text: string) => text.split(/\r?\n/, 1)[0]!;
