/**
 * Cheap test whether bytes begin with a SIP start line ("INVITE sip:… SIP/2.0" or "SIP/2.0 180 …"),
 * so RTP and other traffic is skipped without decoding any text.
 */
const S = 0x53, SPACE = 0x20, CR = 0x0d, LF = 0x0a;
const SIP_VERSION = [0x53, 0x49, 0x50, 0x2f, 0x32, 0x2e, 0x30]; // "SIP/2.0"
/** A request line longer than this is not something we are going to treat as SIP. */
const MAX_START_LINE = 4096;

function isTokenByte(b: number): boolean {
  // RFC 3261 token characters (alphanum and -.!%*_+`'~)
  return (
    (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) ||
    b === 0x2d || b === 0x2e || b === 0x21 || b === 0x25 || b === 0x2a || b === 0x5f || b === 0x2b || b === 0x60 || b === 0x27 || b === 0x7e
  );
}

function hasVersionAt(d: Uint8Array, at: number, end: number): boolean {
  if (at < 0 || at + SIP_VERSION.length > end) return false;
  for (let i = 0; i < SIP_VERSION.length; i++) if (d[at + i] !== SIP_VERSION[i]) return false;
  return true;
}

/** True when `d[start..end)` starts with a SIP request or status line. */
export function looksLikeSipStart(d: Uint8Array, start = 0, end = d.length): boolean {
  const first = d[start];
  if (first === undefined || start >= end) return false;
  // Status line
  if (first === S && hasVersionAt(d, start, end) && d[start + 7] === SPACE) return true;
  // Request line: an upper-case-initial method token, a space, … , " SIP/2.0" at line end
  if (first < 0x41 || first > 0x5a) return false;
  let i = start;
  const tokenLimit = Math.min(end, start + 32);
  while (i < tokenLimit && isTokenByte(d[i]!)) i++;
  if (i === start || i >= end || d[i] !== SPACE) return false;
  const lineLimit = Math.min(end, start + MAX_START_LINE);
  for (let j = i + 1; j < lineLimit; j++) {
    const b = d[j];
    if (b === LF || b === CR) {
      return hasVersionAt(d, j - 7, j) && d[j - 8] === SPACE;
    }
  }
  return false;
}
