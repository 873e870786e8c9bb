/**
 * Byte-level framing of SIP messages in a stream (RFC 3261 §18.3): the header ends at the first
 * empty line, the body is exactly Content-Length bytes (long or compact "l:" header name).
 */
const CR = 0x0d, LF = 0x0a, COLON = 0x3a, SPACE = 0x20, TAB = 0x09;

export type FrameResult =
  | { kind: "complete"; length: number }
  | { kind: "incomplete" }
  | { kind: "invalid"; reason: string };

/** Headers larger than this without an empty line are damage, not a message. */
export const MAX_SIP_HEADER_BYTES = 64 * 1024;
/** Bodies larger than this are not believed (keeps stream buffers bounded). */
export const MAX_SIP_BODY_BYTES = 1024 * 1024;

/** Offset just past the empty line ending the header, or -1 when not (yet) there. */
function findHeaderEnd(d: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    if (d[i] !== LF) continue;
    if (d[i + 1] === LF && i + 1 < end) return i + 2;
    if (d[i + 1] === CR && d[i + 2] === LF && i + 2 < end) return i + 3;
  }
  return -1;
}

function lowerAscii(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

const CONTENT_LENGTH = Array.from("content-length", (c) => c.charCodeAt(0));

function nameIs(d: Uint8Array, from: number, to: number, name: readonly number[]): boolean {
  if (to - from !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (lowerAscii(d[from + i]!) !== name[i]) return false;
  return true;
}

/** Content-Length from the header block, undefined when absent, NaN when unreadable. */
function contentLength(d: Uint8Array, start: number, headerEnd: number): number | undefined {
  let lineStart = start;
  let found: number | undefined;
  while (lineStart < headerEnd) {
    let lineEnd = lineStart;
    while (lineEnd < headerEnd && d[lineEnd] !== LF) lineEnd++;
    let colon = lineStart;
    while (colon < lineEnd && d[colon] !== COLON) colon++;
    if (colon < lineEnd) {
      let nameEnd = colon;
      while (nameEnd > lineStart && (d[nameEnd - 1] === SPACE || d[nameEnd - 1] === TAB)) nameEnd--;
      const isCompact = nameEnd - lineStart === 1 && lowerAscii(d[lineStart]!) === 0x6c; // "l"
      if (isCompact || nameIs(d, lineStart, nameEnd, CONTENT_LENGTH)) {
        let value = 0;
        let digits = 0;
        for (let i = colon + 1; i < lineEnd; i++) {
          const b = d[i]!;
          if (b >= 0x30 && b <= 0x39) {
            value = value * 10 + (b - 0x30);
            digits++;
          } else if (b !== SPACE && b !== TAB && b !== CR) return NaN;
        }
        found = digits > 0 ? value : NaN;
      }
    }
    lineStart = lineEnd + 1;
  }
  return found;
}

/**
 * Frame the message starting at `start`. Without Content-Length the body is taken as empty
 * (mandatory on streams; a datagram caller treats the rest of the datagram as body instead).
 */
export function frameSipMessage(d: Uint8Array, start: number, end: number): FrameResult & { bodyKnown?: boolean } {
  const headerEnd = findHeaderEnd(d, start, Math.min(end, start + MAX_SIP_HEADER_BYTES));
  if (headerEnd < 0) {
    return end - start >= MAX_SIP_HEADER_BYTES
      ? { kind: "invalid", reason: `no end of SIP header within ${MAX_SIP_HEADER_BYTES} bytes` }
      : { kind: "incomplete" };
  }
  const cl = contentLength(d, start, headerEnd);
  if (cl !== undefined && Number.isNaN(cl)) return { kind: "invalid", reason: "unreadable Content-Length" };
  if (cl !== undefined && cl > MAX_SIP_BODY_BYTES) return { kind: "invalid", reason: `Content-Length ${cl} exceeds ${MAX_SIP_BODY_BYTES}` };
  const length = headerEnd - start + (cl ?? 0);
  if (start + length > end) return { kind: "incomplete" };
  return { kind: "complete", length, bodyKnown: cl !== undefined };
}

/** Skip CRLF keep-alives (RFC 5626 §3.5.1) and stray line ends between messages. */
export function skipLineEnds(d: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (d[i] === CR || d[i] === LF)) i++;
  return i;
}
