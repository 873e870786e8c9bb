import type { DetectedFormat } from "./types.js";
import { detectCaptureKind } from "./capture/index.js";
import { isHep3 } from "./capture/hep.js";
import { byteAt } from "../access.js";

/** What the first bytes of an input announce. "text" means: ask the text readers. */
export type Sniffed =
  { kind: "gzip" } | { kind: "pcap" } | { kind: "pcapng" } | { kind: "netmon" } | { kind: "hep" } | { kind: "text" } | { kind: "undecided" };

/** Binary magics need 4 bytes; fewer bytes only decide at end of input. */
export const MAGIC_BYTES = 4;

export function sniffBinary(head: Uint8Array): Sniffed {
  if (head.length < MAGIC_BYTES) return { kind: "undecided" };
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: "gzip" };
  const capture = detectCaptureKind(head);
  if (capture) return { kind: capture };
  if (isHep3(head)) return { kind: "hep" };
  return { kind: "text" };
}

export const BINARY_FORMAT_NAMES = ["pcap", "pcapng", "Microsoft Network Monitor 1.x/2.x", "gzip-compressed pcap/pcapng/text", "HEP v3 packet stream"];

export function describeGzipped(inner: DetectedFormat): DetectedFormat {
  return { format: inner.format, name: `${inner.name}, gzip-compressed` };
}

/** Text that is mostly NUL/control bytes is binary junk, not a paste: do not hand it to text readers. */
export function looksBinary(sample: Uint8Array): boolean {
  let control = 0;
  const n = Math.min(sample.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = byteAt(sample, i);
    if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b && b !== 0x0c)) control++;
  }
  return n > 0 && control / n > 0.1;
}
