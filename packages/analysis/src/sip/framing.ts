import { byteAt, itemAt } from "../access.js";
/**
 * Byte-level framing of SIP messages (RFC 3261 §18.3): where a message starts, where its headers
 * end, and — via Content-Length — where its body ends. Used by TCP/WebSocket reassembly and by text
 * readers. Works on raw bytes without decoding the buffer, so scanning a capture full of RTP is cheap.
 */

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/** Headers larger than this without a blank line are treated as not-a-message rather than buffered forever. */
const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

export type FrameResult =
  | {
      kind: "message";
      /** Offset of the first byte of the start line (keep-alive CRLFs skipped). */
      start: number;
      /** Offset just past the last header line's content (before the blank line). */
      headerEnd: number;
      /** Offset of the first body byte (just past the blank line). */
      bodyStart: number;
      /** Offset just past the message (bodyStart + Content-Length, or bodyStart when there is none). */
      end: number;
      /** Declared Content-Length, or null when the header is absent. */
      contentLength: number | null;
    }
  /** The buffer ends before the message does; `start` is where it begins (keep the bytes from there). */
  | { kind: "need-more"; start: number }
  /** Only keep-alive CRLFs (or nothing) from offset to the end of the buffer. */
  | { kind: "empty"; end: number }
  /** Something that cannot be framed; `start` is where the bad bytes begin. */
  | { kind: "invalid"; start: number; reason: string };

export interface FrameOptions {
  /** Treat the buffer end as the end of the data (a UDP datagram): a short body is returned as is. */
  final?: boolean;
  maxHeaderBytes?: number;
}

/** Skips CR/LF keep-alives (RFC 5626 "double CRLF" pings and blank separators). */
export function skipLineBreaks(buf: Uint8Array, offset: number, end = buf.length): number {
  let i = offset;
  while (i < end) {
    const b = buf[i];
    if (b !== CR && b !== LF) break;
    i++;
  }
  return i;
}

/**
 * Finds the blank line that ends the header section. Accepts CRLFCRLF, LFLF and their mixtures
 * (text pasted through editors often has both). Returns [headerEnd, bodyStart] or null.
 */
export function findHeaderEnd(buf: Uint8Array, from: number, end = buf.length): [number, number] | null {
  let i = buf.indexOf(LF, from);
  while (i !== -1 && i < end) {
    const next = i + 1;
    if (next < end) {
      const b = buf[next];
      if (b === LF) return [lineContentEnd(buf, from, i), next + 1];
      if (b === CR && next + 1 < end && buf[next + 1] === LF) return [lineContentEnd(buf, from, i), next + 2];
    } else {
      return null;
    }
    i = buf.indexOf(LF, next);
  }
  return null;
}

/** End of a line's content given the offset of its LF (drops a CR before it). */
function lineContentEnd(buf: Uint8Array, lineStart: number, lf: number): number {
  return lf > lineStart && buf[lf - 1] === CR ? lf - 1 : lf;
}

export interface ContentLengthReading {
  /** The declared length, or null when absent or unreadable. */
  value: number | null;
  /** Set when a Content-Length header exists but its value is not a plain number. */
  invalid?: string;
}

/**
 * Reads Content-Length ("Content-Length" or compact "l", any case, whitespace around the colon)
 * from the header bytes [start, headerEnd). Only line starts are examined, so cost is one pass.
 */
export function readContentLength(buf: Uint8Array, start: number, headerEnd: number): ContentLengthReading {
  let lineStart = start;
  let found: ContentLengthReading = { value: null };
  while (lineStart < headerEnd) {
    let lf = buf.indexOf(LF, lineStart);
    if (lf === -1 || lf > headerEnd) lf = headerEnd;
    const nameEnd = matchContentLengthName(buf, lineStart, lf);
    if (nameEnd !== -1) {
      const reading = parseLengthValue(buf, nameEnd, lf);
      // The first readable value wins; later duplicates do not override it.
      if (found.value === null && found.invalid === undefined) found = reading;
    }
    lineStart = lf + 1;
  }
  return found;
}

/** If the line is a Content-Length header, returns the offset just past its colon, else -1. */
function matchContentLengthName(buf: Uint8Array, i: number, end: number): number {
  const first = buf[i];
  if (first !== 0x6c && first !== 0x4c && first !== 0x63 && first !== 0x43) return -1; // l L c C
  let j: number;
  if (first === 0x6c || first === 0x4c) {
    j = i + 1;
  } else {
    const name = "content-length";
    if (end - i < name.length) return -1;
    for (let k = 0; k < name.length; k++) {
      const b = byteAt(buf, i + k);
      const lower = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
      if (lower !== name.charCodeAt(k)) return -1;
    }
    j = i + name.length;
  }
  while (j < end && (buf[j] === SP || buf[j] === HT)) j++;
  return j < end && buf[j] === COLON ? j + 1 : -1;
}

function parseLengthValue(buf: Uint8Array, i: number, end: number): ContentLengthReading {
  let j = i;
  while (j < end && (buf[j] === SP || buf[j] === HT)) j++;
  let value = 0;
  let digits = 0;
  while (j < end) {
    const b = byteAt(buf, j);
    if (b < 0x30 || b > 0x39) break;
    value = value * 10 + (b - 0x30);
    digits++;
    j++;
  }
  while (j < end && (buf[j] === SP || buf[j] === HT || buf[j] === CR)) j++;
  if (digits === 0 || j < end || digits > 9) {
    return { value: null, invalid: "Content-Length is not a number" };
  }
  return { value };
}

/**
 * Frames the next SIP message at or after `offset`. Stream transports (TCP, TLS) must call it
 * without `final` and wait for more bytes on "need-more"; datagram callers pass `final: true`.
 */
export function frameSipMessage(buf: Uint8Array, offset = 0, end = buf.length, opts: FrameOptions = {}): FrameResult {
  const start = skipLineBreaks(buf, offset, end);
  if (start >= end) return { kind: "empty", end };
  const maxHeader = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const headerLimit = Math.min(end, start + maxHeader);
  const header = findHeaderEnd(buf, start, headerLimit);
  if (header === null) {
    if (headerLimit < end) return { kind: "invalid", start, reason: `no end of headers within ${maxHeader} bytes` };
    if (opts.final) return { kind: "message", start, headerEnd: end, bodyStart: end, end, contentLength: null };
    return { kind: "need-more", start };
  }
  const [headerEnd, bodyStart] = header;
  const cl = readContentLength(buf, start, headerEnd);
  if (cl.value === null) {
    // RFC 3261 §18.3: on a stream the length is mandatory; without it the body is taken as empty.
    // A datagram's body is simply the rest of it.
    const msgEnd = opts.final ? end : bodyStart;
    return { kind: "message", start, headerEnd, bodyStart, end: msgEnd, contentLength: null };
  }
  const wanted = bodyStart + cl.value;
  if (wanted > end) {
    if (opts.final) return { kind: "message", start, headerEnd, bodyStart, end, contentLength: cl.value };
    return { kind: "need-more", start };
  }
  return { kind: "message", start, headerEnd, bodyStart, end: wanted, contentLength: cl.value };
}

function isTokenByte(b: number): boolean {
  // RFC 3261 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
  return (
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2d ||
    b === 0x2e ||
    b === 0x21 ||
    b === 0x25 ||
    b === 0x2a ||
    b === 0x5f ||
    b === 0x2b ||
    b === 0x60 ||
    b === 0x27 ||
    b === 0x7e
  );
}

/** "SIP/" followed by a digit, case-insensitive, at i. */
function matchSipSlash(buf: Uint8Array, i: number, end: number): boolean {
  if (i + 4 >= end) return false;
  return (
    (byteAt(buf, i) | 0x20) === 0x73 &&
    (byteAt(buf, i + 1) | 0x20) === 0x69 &&
    (byteAt(buf, i + 2) | 0x20) === 0x70 &&
    buf[i + 3] === 0x2f &&
    byteAt(buf, i + 4) >= 0x30 &&
    byteAt(buf, i + 4) <= 0x39
  );
}

const MAX_METHOD = 32;
const MAX_START_LINE = 4096;

/**
 * Cheap test that the bytes at `offset` begin a SIP start line: a status line "SIP/2.0 NNN" or a
 * request line "METHOD scheme:... SIP/x.y". Rejects RTP, STUN, TLS and other payloads after a few bytes.
 */
export function looksLikeSipStart(buf: Uint8Array, offset = 0, end = buf.length): boolean {
  if (offset >= end) return false;
  const first = byteAt(buf, offset);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return false;

  if (matchSipSlash(buf, offset, end)) {
    // Status line: SIP/x.y SP 3DIGIT
    let i = offset + 4;
    while (i < end && i - offset < 16 && buf[i] !== SP) i++;
    if (i + 3 >= end || buf[i] !== SP) return false;
    for (let k = 1; k <= 3; k++) {
      const d = byteAt(buf, i + k);
      if (d < 0x30 || d > 0x39) return false;
    }
    return true;
  }

  // Request line: token SP Request-URI SP SIP-Version
  let i = offset;
  while (i < end && i - offset < MAX_METHOD && isTokenByte(byteAt(buf, i))) i++; // at most MAX_METHOD characters, as in text
  if (i >= end || buf[i] !== SP || i === offset) return false;
  i++;
  // The URI needs a scheme: letters then ':'.
  const uriStart = i;
  while (i < end && i - uriStart < 32 && isSchemeByte(byteAt(buf, i))) i++;
  if (i === uriStart || i >= end || buf[i] !== COLON) return false;
  // Find the end of the line and check it ends with SIP/x.y.
  const limit = Math.min(end, offset + MAX_START_LINE);
  let lf = i;
  while (lf < limit && buf[lf] !== LF && buf[lf] !== CR) lf++;
  if (lf >= limit) return false;
  let vEnd = lf;
  while (vEnd > i && (buf[vEnd - 1] === SP || buf[vEnd - 1] === HT)) vEnd--;
  let vStart = vEnd;
  while (vStart > i && buf[vStart - 1] !== SP && buf[vStart - 1] !== HT) vStart--;
  return vStart > i && matchSipSlash(buf, vStart, vEnd + 1);
}

function isSchemeByte(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x2b || b === 0x2d || b === 0x2e;
}

/**
 * Resynchronises on damaged streams: the offset of the next line start at or after `offset` that
 * looksLikeSipStart, or -1.
 */
export function findNextSipStart(buf: Uint8Array, offset = 0, end = buf.length): number {
  let i = offset;
  while (i < end) {
    if (looksLikeSipStart(buf, i, end)) return i;
    const lf = buf.indexOf(LF, i);
    if (lf === -1 || lf >= end) return -1;
    i = lf + 1;
  }
  return -1;
}

// ---- string variants, for text readers that already hold decoded text -------------------------

/** Text framing result: offsets are string indices. */
export type TextFrameResult =
  | { kind: "message"; start: number; headerEnd: number; bodyStart: number; end: number; contentLength: number | null }
  | { kind: "need-more"; start: number }
  | { kind: "empty"; end: number }
  | { kind: "invalid"; start: number; reason: string };

/** The string index reached after walking `bytes` UTF-8 bytes from `from` (surrogate pairs count 4). */
export function advanceUtf8Bytes(text: string, from: number, bytes: number, end: number): number {
  let i = from;
  let left = bytes;
  while (left > 0 && i < end) {
    const c = text.charCodeAt(i);
    if (c < 0x80) left -= 1;
    else if (c < 0x800) left -= 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      left -= 4;
      i++;
    } else left -= 3;
    i++;
  }
  return i;
}

/**
 * The string twin of frameSipMessage. Content-Length counts UTF-8 bytes, so the body end is found by
 * walking the body's characters, not by adding the number to a string index.
 */
export function frameSipText(text: string, offset = 0, end = text.length, opts: FrameOptions = {}): TextFrameResult {
  let start = offset;
  while (start < end) {
    const c = text.charCodeAt(start);
    if (c !== CR && c !== LF) break;
    start++;
  }
  if (start >= end) return { kind: "empty", end };
  const maxHeader = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const headerLimit = Math.min(end, start + maxHeader);
  let headerEnd = -1;
  let bodyStart = -1;
  let i = text.indexOf("\n", start);
  while (i !== -1 && i + 1 < headerLimit) {
    const n = text.charCodeAt(i + 1);
    if (n === LF || (n === CR && i + 2 < headerLimit && text.charCodeAt(i + 2) === LF)) {
      headerEnd = i > start && text.charCodeAt(i - 1) === CR ? i - 1 : i;
      bodyStart = n === LF ? i + 2 : i + 3;
      break;
    }
    i = text.indexOf("\n", i + 1);
  }
  if (headerEnd === -1) {
    if (headerLimit < end) return { kind: "invalid", start, reason: `no end of headers within ${maxHeader} characters` };
    if (opts.final) return { kind: "message", start, headerEnd: end, bodyStart: end, end, contentLength: null };
    return { kind: "need-more", start };
  }
  const cl = readContentLengthText(text, start, headerEnd);
  if (cl.value === null) {
    return { kind: "message", start, headerEnd, bodyStart, end: opts.final ? end : bodyStart, contentLength: null };
  }
  const msgEnd = advanceUtf8Bytes(text, bodyStart, cl.value, end);
  const complete = utf8Length(text, bodyStart, msgEnd) >= cl.value;
  if (!complete && !opts.final) return { kind: "need-more", start };
  return { kind: "message", start, headerEnd, bodyStart, end: msgEnd, contentLength: cl.value };
}

/** UTF-8 byte length of text[from, to). */
export function utf8Length(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const CONTENT_LENGTH_LINE = /^(?:content-length|l)[ \t]*:[ \t]*([^\r\n]*)$/i;

function readContentLengthText(text: string, start: number, headerEnd: number): ContentLengthReading {
  let lineStart = start;
  while (lineStart < headerEnd) {
    let lf = text.indexOf("\n", lineStart);
    if (lf === -1 || lf > headerEnd) lf = headerEnd;
    const c = text.charCodeAt(lineStart) | 0x20;
    if (c === 0x6c || c === 0x63) {
      const m = CONTENT_LENGTH_LINE.exec(text.slice(lineStart, lf));
      if (m) {
        const v = itemAt(m, 1).trim();
        return /^\d{1,9}$/.test(v) ? { value: Number(v) } : { value: null, invalid: "Content-Length is not a number" };
      }
    }
    lineStart = lf + 1;
  }
  return { value: null };
}

/** Cheap SIP start-line test on text (same rules as looksLikeSipStart). */
export function looksLikeSipStartText(text: string, offset = 0): boolean {
  const lf = text.indexOf("\n", offset);
  const lineEnd = lf === -1 ? Math.min(text.length, offset + MAX_START_LINE) : Math.min(lf + 1, offset + MAX_START_LINE);
  const line = text.slice(offset, lineEnd);
  const bytes = new Uint8Array(line.length + (lf === -1 ? 1 : 0));
  for (let k = 0; k < line.length; k++) {
    const c = line.charCodeAt(k);
    bytes[k] = c < 0x80 ? c : 0x3f;
  }
  if (lf === -1) bytes[line.length] = LF;
  return looksLikeSipStart(bytes, 0, bytes.length);
}
