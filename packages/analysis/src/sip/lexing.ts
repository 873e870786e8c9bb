import { itemAt } from "../access.js";
/** Small lexical helpers shared by the header parsers (RFC 3261 §25.1). No regexes with backtracking. */

export function isTokenChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x21 ||
    c === 0x25 ||
    c === 0x2a ||
    c === 0x5f ||
    c === 0x2b ||
    c === 0x60 ||
    c === 0x27 ||
    c === 0x7e
  );
}

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/**
 * Splits a header value on top-level commas: commas inside "quoted strings" (with \-escapes) and
 * inside <...> do not count. Returns trimmed parts (empty parts kept, so callers can report them).
 */
export function splitTopLevel(value: string, sep = 0x2c): string[] {
  if (value.indexOf(String.fromCharCode(sep)) === -1) return [value.trim()];
  const parts: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) inQuote = true;
    else if (c === 0x3c) inAngle = true;
    else if (c === 0x3e) inAngle = false;
    else if (c === sep && !inAngle) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts;
}

export interface ParamList {
  params: Record<string, string | true>;
  /** Problems in the parameter syntax (empty parameters, bad names). */
  errors: string[];
}

/**
 * Parses "name=value;flag" generic-params (the text after the first ';'). Names are
 * lower-cased; quoted values keep their quotes stripped. LWS around ';' and '=' is allowed.
 * One pass, no intermediate arrays: this runs several times for every message.
 */
export function parseParams(s: string): ParamList {
  const params: Record<string, string | true> = {};
  let errors: string[] | undefined;
  const n = s.length;
  let i = 0;
  while (i <= n) {
    // One parameter: [i, end) up to the next ';' outside quotes.
    let end = i;
    let eq = -1;
    let inQuote = false;
    while (end < n) {
      const c = s.charCodeAt(end);
      if (inQuote) {
        if (c === 0x5c) end++;
        else if (c === 0x22) inQuote = false;
      } else if (c === 0x22) inQuote = true;
      else if (c === 0x3b) break;
      else if (c === 0x3d && eq === -1) eq = end;
      end++;
    }
    if (end > n) end = n;
    const nameEnd = eq === -1 ? end : eq;
    let a = i;
    let b = nameEnd;
    while (a < b && isWs(s.charCodeAt(a))) a++;
    while (b > a && isWs(s.charCodeAt(b - 1))) b--;
    if (a === b && eq === -1) {
      (errors ??= []).push("empty parameter (stray ';')");
    } else {
      const name = s.slice(a, b).toLowerCase();
      if (!isToken(name)) {
        (errors ??= []).push(`parameter name "${name}" is not a token`);
      } else if (eq === -1) {
        params[name] = true;
      } else {
        let va = eq + 1;
        let vb = end;
        while (va < vb && isWs(s.charCodeAt(va))) va++;
        while (vb > va && isWs(s.charCodeAt(vb - 1))) vb--;
        if (va === vb) (errors ??= []).push(`parameter "${name}" has an empty value`);
        if (vb - va >= 2 && s.charCodeAt(va) === 0x22 && s.charCodeAt(vb - 1) === 0x22) params[name] = unquote(s.slice(va, vb));
        else params[name] = s.slice(va, vb);
      }
    }
    i = end + 1;
  }
  return { params, errors: errors ?? NO_ERRORS };
}

const NO_ERRORS: string[] = [];

/** Removes surrounding quotes and resolves quoted-pairs ("\x" -> "x"). */
function unquote(q: string): string {
  const inner = q.slice(1, -1);
  return inner.includes("\\") ? unescapePairs(inner) : inner;
}

/** Resolves quoted-pairs ("\x" -> "x") in the inside of a quoted string. */
export function unescapePairs(s: string): string {
  const parts: string[] = [];
  let from = 0;
  let i = s.indexOf("\\");
  while (i !== -1 && i + 1 < s.length) {
    parts.push(s.slice(from, i), itemAt(s, i + 1));
    from = i + 2;
    i = s.indexOf("\\", from);
  }
  parts.push(s.slice(from));
  return parts.join("");
}

/** Parses a run of digits (leading zeros fine); returns null when not purely digits or too long to be exact. */
export function parseUint(s: string): number | null {
  if (s.length === 0 || s.length > 15) return null;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

export function isAllDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
