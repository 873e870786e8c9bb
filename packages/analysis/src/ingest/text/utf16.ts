import type { Ingestor } from "../types.js";

export type Utf16Encoding = "utf-16le" | "utf-16be";

/** Bytes looked at to tell UTF-16 text without a byte-order mark. */
const SNIFF_BYTES = 4096;

/**
 * Windows tools (PowerShell's `>`, Notepad's "Unicode") save logs as UTF-16: a byte-order mark, or
 * without one, text whose every other byte is NUL (SIP is ASCII). Null when the text is not UTF-16.
 */
export function detectUtf16(sample: Uint8Array): Utf16Encoding | null {
  if (sample[0] === 0xff && sample[1] === 0xfe) return "utf-16le";
  if (sample[0] === 0xfe && sample[1] === 0xff) return "utf-16be";
  const pairs = Math.min(sample.length, SNIFF_BYTES) >> 1;
  if (pairs < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.9 && evenNul < pairs * 0.1) return "utf-16le";
  if (evenNul > pairs * 0.9 && oddNul < pairs * 0.1) return "utf-16be";
  return null;
}

export const decodeUtf16 = (encoding: Utf16Encoding, bytes: Uint8Array): string => new TextDecoder(encoding).decode(bytes);

/** Hands UTF-16 input to a text reader as UTF-8, a chunk at a time (a code unit split across chunks is kept for the next). */
export function createUtf16Transcoder(encoding: Utf16Encoding, inner: Ingestor): Ingestor {
  const decoder = new TextDecoder(encoding);
  const encoder = new TextEncoder();
  return {
    push(chunk) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) inner.push(encoder.encode(text));
    },
    end() {
      const rest = decoder.decode();
      if (rest) inner.push(encoder.encode(rest));
      inner.end();
    },
  };
}
