/**
 * parseSipMessage: a tolerant, located reading of one SIP message (RFC 3261 §7, §20, §25).
 * Never throws: every departure from the grammar becomes a ParseProblem with its line.
 */
import type { ParsedHeader, ParsedSip } from "./types.js";
import { problem, type Ctx, type ParseOptions } from "./context.js";
import { canonicalHeaderName } from "./header-names.js";
import { findHeaderEnd } from "./framing.js";
import { isToken } from "./lexing.js";
import { clip } from "./uri.js";
import { readStartLine } from "./start-line.js";
import { interpretHeader } from "./header-values.js";
import { readBody } from "./body.js";

export type { ParseOptions } from "./context.js";

export function parseSipMessage(text: string, opts: ParseOptions = {}): ParsedSip {
  const out: ParsedSip = { kind: "invalid", headers: [], vias: [], reason: [], body: "", bodyLength: 0, problems: [] };
  try {
    const ctx: Ctx = { out, contentLengths: [], firstLine: new Map(), lfOnly: false, suppressed: 0 };
    parseInto(ctx, text, opts);
    if (ctx.suppressed > 0) out.problems.push({ message: `${ctx.suppressed} more problems not listed` });
  } catch (e) {
    // A bug here must not take the trace down with it; say where parsing stopped instead.
    out.problems.push({ message: `parser failure: ${e instanceof Error ? e.message : String(e)}` });
  }
  return out;
}

const decoder = new TextDecoder("utf-8");

/** Parses a message held as bytes: the body length is measured on the bytes, not on decoded text. */
export function parseSipBytes(bytes: Uint8Array): ParsedSip {
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x0d || bytes[start] === 0x0a)) start++;
  const h = findHeaderEnd(bytes, start);
  const text = decoder.decode(bytes);
  return parseSipMessage(text, h ? { bodyBytes: bytes.length - h[1] } : {});
}

function parseInto(ctx: Ctx, text: string, opts: ParseOptions): void {
  const out = ctx.out;
  let pos = 0;
  let lineNo = 1;
  // Leading CRLFs (keep-alives, paste artefacts) are not part of the message.
  while (pos < text.length && (text.charCodeAt(pos) === 0x0d || text.charCodeAt(pos) === 0x0a)) {
    if (text.charCodeAt(pos) === 0x0a) lineNo++;
    pos++;
  }
  if (pos >= text.length) {
    problem(ctx, "empty message");
    return;
  }
  let startLine: string | undefined;
  const startLineNo = lineNo;
  let bodyStart = -1;
  let current: ParsedHeader | undefined;
  while (pos < text.length) {
    let nl = text.indexOf("\n", pos);
    const last = nl === -1;
    if (last) nl = text.length;
    let lineEnd = nl;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    const lineStart = pos;
    pos = nl + 1;
    // Header lines are read by index on the message text: no intermediate line strings.
    if (startLine === undefined) {
      startLine = text.slice(lineStart, lineEnd);
    } else if (lineEnd === lineStart) {
      bodyStart = Math.min(pos, text.length);
      break;
    } else {
      const c0 = text.charCodeAt(lineStart);
      if (c0 === 0x20 || c0 === 0x09) {
        const more = text.slice(lineStart, lineEnd).trim();
        if (current) current.value = current.value.length ? `${current.value} ${more}` : more;
        else problem(ctx, "continuation line with no header before it", lineNo);
      } else {
        current = readHeaderLine(ctx, text, lineStart, lineEnd, lineNo);
      }
    }
    lineNo++;
    if (last) break;
  }
  ctx.lfOnly = text.lastIndexOf("\r", bodyStart === -1 ? text.length : bodyStart) === -1;
  // Text exports often drop the blank line after a bodiless message; that alone is not a problem.
  if (bodyStart === -1) bodyStart = text.length;
  readStartLine(ctx, startLine ?? "", startLineNo);
  for (const h of out.headers) interpretHeader(ctx, h);
  checkRequired(ctx);
  readBody(ctx, text.slice(bodyStart), opts);
}

function isSpaceOrTab(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function readHeaderLine(ctx: Ctx, text: string, start: number, end: number, lineNo: number): ParsedHeader | undefined {
  const colon = text.indexOf(":", start);
  if (colon === -1 || colon >= end) {
    problem(ctx, `"${clip(text.slice(start, end))}" is not a header line (no ':')`, lineNo);
    return undefined;
  }
  let nameEnd = colon;
  while (nameEnd > start && isSpaceOrTab(text.charCodeAt(nameEnd - 1))) nameEnd--;
  const rawName = text.slice(start, nameEnd);
  if (!isToken(rawName)) {
    problem(ctx, `header name "${clip(rawName)}" is not a token`, lineNo);
    return undefined;
  }
  let valueStart = colon + 1;
  let valueEnd = end;
  while (valueStart < valueEnd && isSpaceOrTab(text.charCodeAt(valueStart))) valueStart++;
  while (valueEnd > valueStart && isSpaceOrTab(text.charCodeAt(valueEnd - 1))) valueEnd--;
  const h: ParsedHeader = { name: canonicalHeaderName(rawName), value: text.slice(valueStart, valueEnd), line: lineNo };
  ctx.out.headers.push(h);
  if (!ctx.firstLine.has(h.name)) ctx.firstLine.set(h.name, lineNo);
  return h;
}

function checkRequired(ctx: Ctx): void {
  const out = ctx.out;
  if (out.kind === "invalid") return;
  const missing: string[] = [];
  for (const name of ["Via", "Call-ID", "CSeq", "From", "To"]) if (!ctx.firstLine.has(name)) missing.push(name);
  for (const name of missing) problem(ctx, `missing mandatory header ${name}`);
  if (out.kind === "request") {
    if (out.cseq && out.method && out.cseq.method !== out.method) {
      const line = ctx.firstLine.get("CSeq");
      problem(ctx, `CSeq method ${out.cseq.method} does not match request method ${out.method}`, line);
    }
    if (!ctx.firstLine.has("Max-Forwards")) problem(ctx, "no Max-Forwards header", undefined, "warning");
  }
}
