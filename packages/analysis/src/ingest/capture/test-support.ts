// Test helpers (Node-only: used by *.test.ts files, never by the reader itself).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Problem } from "@siplens/contracts";
import type { RawSipMessage } from "../types.js";
import { createCaptureIngestor, detectCaptureKind } from "./index.js";
import { concatBytes } from "./byte-queue.js";

export const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/capture/", import.meta.url));
export const CORPUS = "/work/shared/corpus";

export interface Collected {
  messages: RawSipMessage[];
  problems: Problem[];
  describe: string | null;
}

/** Run the capture reader over `bytes`, pushed in chunks of `chunk` bytes. */
export function readCapture(bytes: Uint8Array, chunk = 65536): Collected {
  const messages: RawSipMessage[] = [];
  const problems: Problem[] = [];
  const kind = detectCaptureKind(bytes);
  if (!kind) throw new Error("fixture is not a capture");
  const ing = createCaptureIngestor(kind, { message: (m) => messages.push(m), problem: (p) => problems.push(p) });
  for (let i = 0; i < bytes.length; i += chunk) ing.push(bytes.subarray(i, i + chunk));
  ing.end();
  return { messages, problems, describe: ing.describe() };
}

export function readFixture(name: string, chunk?: number): Collected {
  return readCapture(new Uint8Array(readFileSync(FIXTURES + name)), chunk);
}

export function firstLine(m: RawSipMessage): string {
  return m.text.slice(0, m.text.search(/\r?\n/));
}

export function endpoint(e: RawSipMessage["src"]): string {
  return e ? `${e.ip}:${e.port}` : "?";
}

/** The records of a little-endian µs pcap, and a way to write a pcap from (modified) records. */
export function pcapRecords(bytes: Uint8Array): { header: Uint8Array; records: Uint8Array[] } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  for (let p = 24; p + 16 <= bytes.length; ) {
    const len = 16 + v.getUint32(p + 8, true);
    records.push(bytes.subarray(p, p + len));
    p += len;
  }
  return { header: bytes.subarray(0, 24), records };
}

export function joinBytes(parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts, parts.reduce((n, p) => n + p.length, 0));
}
