/**
 * parseSipMessage: a tolerant, located reading of one SIP message (RFC 3261 §7, §20, §25).
 * Never throws: every departure from the grammar becomes a ParseProblem with its line.
 */
import type { NameAddr, ParsedHeader, ParsedSip, ParseProblem, ReasonValue, RequestUriParts } from "./types.js";
import { canonicalHeaderName } from "./header-names.js";
import { advanceUtf8Bytes, findHeaderEnd, utf8Length } from "./framing.js";
import { isAllDigits, isToken, parseParams, parseUint, splitTopLevel } from "./lexing.js";
import { clip, parseNameAddr, parseUri } from "./uri.js";
import { parseVia } from "./via.js";
import { summarizeSdp } from "./sdp.js";

const MAX_CSEQ = 2 ** 31 - 1;
const MAX_UINT32 = 2 ** 32 - 1;

interface Ctx {
  out: ParsedSip;
  /** Content-Length values seen, to catch disagreeing duplicates. */
  contentLengths: number[];
  /** Line of the first occurrence of each canonical header name. */
  firstLine: Map<string, number>;
  /** The header section uses bare LF line ends (no CR at all). */
  lfOnly: boolean;
  /** Problems beyond MAX_PROBLEMS, counted instead of listed. */
  suppressed: number;
}

/** Enough to explain any real message; a pathological one (100k stray commas) must not flood the result. */
const MAX_PROBLEMS = 50;

function problem(ctx: Ctx, message: string, line?: number, severity?: "warning"): void {
  if (ctx.out.problems.length >= MAX_PROBLEMS) {
    ctx.suppressed++;
    return;
  }
  const p: ParseProblem = { message };
  if (line !== undefined) p.line = line;
  if (severity) p.severity = severity;
  ctx.out.problems.push(p);
}

export interface ParseOptions {
  /** Real body size in bytes when the caller has the raw bytes (a binary body decodes lossily). */
  bodyBytes?: number;
}

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
    const line = text.slice(pos, lineEnd);
    pos = nl + 1;
    if (startLine === undefined) {
      startLine = line;
    } else if (line.length === 0) {
      bodyStart = Math.min(pos, text.length);
      break;
    } else {
      const c0 = line.charCodeAt(0);
      if (c0 === 0x20 || c0 === 0x09) {
        if (current) current.value = current.value.length ? `${current.value} ${line.trim()}` : line.trim();
        else problem(ctx, "continuation line with no header before it", lineNo);
      } else {
        current = readHeaderLine(ctx, line, lineNo);
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

function readHeaderLine(ctx: Ctx, line: string, lineNo: number): ParsedHeader | undefined {
  const colon = line.indexOf(":");
  if (colon === -1) {
    problem(ctx, `"${clip(line)}" is not a header line (no ':')`, lineNo);
    return undefined;
  }
  let nameEnd = colon;
  while (nameEnd > 0 && (line.charCodeAt(nameEnd - 1) === 0x20 || line.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
  const rawName = line.slice(0, nameEnd);
  if (!isToken(rawName)) {
    problem(ctx, `header name "${clip(rawName)}" is not a token`, lineNo);
    return undefined;
  }
  const h: ParsedHeader = { name: canonicalHeaderName(rawName), value: line.slice(colon + 1).trim(), line: lineNo };
  ctx.out.headers.push(h);
  if (!ctx.firstLine.has(h.name)) ctx.firstLine.set(h.name, lineNo);
  return h;
}

function readStartLine(ctx: Ctx, line: string, lineNo: number): void {
  const out = ctx.out;
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === "SIP/") {
    readStatusLine(ctx, line, lineNo);
    return;
  }
  const words = splitWords(line);
  const lastWord = words[words.length - 1] ?? "";
  if (words.length < 3 || lastWord.length < 5 || lastWord.slice(0, 4).toUpperCase() !== "SIP/") {
    problem(ctx, `"${clip(line)}" is not a SIP request line or status line`, lineNo);
    return;
  }
  out.kind = "request";
  const method = words[0]!;
  const version = lastWord;
  out.method = method;
  out.version = version;
  if (!isToken(method)) problem(ctx, `method "${clip(method)}" is not a token`, lineNo);
  const lastChar = line.charCodeAt(line.length - 1);
  if (lastChar === 0x20 || lastChar === 0x09) problem(ctx, "Request-Line ends with whitespace", lineNo);
  else if (words.length === 3 && method.length + words[1]!.length + version.length + 2 !== line.length) {
    problem(ctx, "Request-Line elements must be separated by single spaces", lineNo);
  }
  let uri = words.slice(1, -1).join(" ");
  if (words.length > 3) problem(ctx, `Request-URI "${clip(uri)}" contains whitespace`, lineNo);
  if (uri.charCodeAt(0) === 0x3c) {
    problem(ctx, "Request-URI must not be enclosed in <>", lineNo);
    uri = uri.slice(1, uri.charCodeAt(uri.length - 1) === 0x3e ? -1 : undefined);
  }
  out.requestUri = uri;
  const u = parseUri(uri);
  if (u.uri.scheme) {
    const parts: RequestUriParts = { scheme: u.uri.scheme };
    if (u.uri.user !== undefined) parts.user = u.uri.user;
    if (u.uri.host !== undefined) parts.host = u.uri.host;
    if (u.uri.port !== undefined) parts.port = u.uri.port;
    out.requestUriParts = parts;
  }
  if (words.length <= 3) for (const e of u.errors) problem(ctx, `Request-URI: ${e}`, lineNo);
  if (u.uri.headers !== undefined) problem(ctx, "Request-URI must not contain headers ('?…')", lineNo);
  checkVersion(ctx, version, lineNo);
}

/** Splits on runs of spaces and tabs. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
    const start = i;
    while (i < line.length && line.charCodeAt(i) !== 0x20 && line.charCodeAt(i) !== 0x09) i++;
    if (i > start) words.push(line.slice(start, i));
  }
  return words;
}

function checkVersion(ctx: Ctx, version: string, lineNo: number): void {
  if (version.toUpperCase() !== "SIP/2.0") problem(ctx, `SIP version ${clip(version)} is not supported (SIP/2.0 expected)`, lineNo);
}

function readStatusLine(ctx: Ctx, line: string, lineNo: number): void {
  const out = ctx.out;
  out.kind = "response";
  const sp1 = line.indexOf(" ");
  const version = sp1 === -1 ? line : line.slice(0, sp1);
  out.version = version;
  checkVersion(ctx, version, lineNo);
  if (sp1 === -1) {
    problem(ctx, "status line has no status code", lineNo);
    out.kind = "invalid";
    return;
  }
  const sp2 = line.indexOf(" ", sp1 + 1);
  const code = sp2 === -1 ? line.slice(sp1 + 1) : line.slice(sp1 + 1, sp2);
  out.reasonPhrase = sp2 === -1 ? "" : line.slice(sp2 + 1);
  const status = code.length === 3 ? parseUint(code) : null;
  if (status === null || status < 100 || status > 699) {
    problem(ctx, `status code "${clip(code)}" is not a 3-digit code in 100-699`, lineNo);
    out.kind = "invalid";
    return;
  }
  out.status = status;
  if (sp2 === -1) problem(ctx, "status line has no space after the status code", lineNo, "warning");
}

function interpretHeader(ctx: Ctx, h: ParsedHeader): void {
  const out = ctx.out;
  const line = h.line;
  switch (h.name) {
    case "Via": {
      for (const part of splitTopLevel(h.value)) {
        if (part.length === 0) {
          problem(ctx, "Via: empty value (stray ',')", line);
          continue;
        }
        const r = parseVia(part);
        for (const e of r.errors) problem(ctx, e, line);
        for (const w of r.warnings) problem(ctx, w, line, "warning");
        if (r.via.protocol) out.vias.push(r.via);
      }
      break;
    }
    case "Call-ID": {
      if (h.value.length === 0) problem(ctx, "Call-ID is empty", line);
      else if (hasWhitespace(h.value)) problem(ctx, `Call-ID "${clip(h.value)}" contains whitespace`, line);
      if (out.callId === undefined) out.callId = h.value;
      else if (out.callId !== h.value) problem(ctx, `several Call-ID headers ("${clip(out.callId)}", "${clip(h.value)}")`, line);
      break;
    }
    case "CSeq":
      readCSeq(ctx, h);
      break;
    case "From":
    case "To": {
      const r = parseNameAddr(h.value);
      for (const e of r.errors) problem(ctx, `${h.name}: ${e}`, line);
      const key = h.name === "From" ? "from" : "to";
      if (out[key] === undefined) out[key] = r.value;
      else problem(ctx, `several ${h.name} headers`, line);
      break;
    }
    case "Contact":
      out.contact = readAddressList(ctx, h, out.contact);
      for (const c of out.contact) checkUint32Param(ctx, h, c, "expires");
      break;
    case "Route":
      out.route = readAddressList(ctx, h, out.route);
      break;
    case "Record-Route":
      out.recordRoute = readAddressList(ctx, h, out.recordRoute);
      break;
    case "Max-Forwards": {
      const v = isAllDigits(h.value) ? parseUint(h.value) : null;
      if (v === null || v > 255) problem(ctx, `Max-Forwards "${clip(h.value)}" is not a number in 0-255`, line);
      else out.maxForwards ??= v;
      break;
    }
    case "Expires": {
      const v = isAllDigits(h.value) ? parseUint(h.value) : null;
      if (v === null || v > MAX_UINT32) problem(ctx, `Expires "${clip(h.value)}" is not a number of seconds in 0-(2^32-1)`, line);
      else out.expires ??= v;
      break;
    }
    case "Content-Length": {
      const v = isAllDigits(h.value) ? parseUint(h.value) : null;
      if (v === null) problem(ctx, `Content-Length "${clip(h.value)}" is not a non-negative number`, line);
      else {
        if (ctx.contentLengths.length > 0 && !ctx.contentLengths.includes(v)) {
          problem(ctx, `several Content-Length headers disagree (${ctx.contentLengths.join(", ")} and ${v})`, line);
        }
        ctx.contentLengths.push(v);
        out.contentLength ??= v;
      }
      break;
    }
    case "Content-Type": {
      const semi = h.value.indexOf(";");
      const type = (semi === -1 ? h.value : h.value.slice(0, semi)).trim().toLowerCase();
      if (!/^[^\s/]+\/[^\s/]+$/.test(type)) problem(ctx, `Content-Type "${clip(h.value)}" is not type/subtype`, line);
      out.contentType ??= type;
      break;
    }
    case "Reason":
      for (const part of splitTopLevel(h.value)) {
        const r = readReason(part);
        if (typeof r === "string") problem(ctx, `Reason: ${r}`, line);
        else out.reason.push(r);
      }
      break;
    case "Date":
      if (!/ GMT$/.test(h.value)) problem(ctx, `Date "${clip(h.value)}" is not in GMT (RFC 3261 §20.17)`, line);
      break;
    case "Retry-After": {
      const first = h.value.split(/[\s;(]/, 1)[0] ?? "";
      const v = isAllDigits(first) ? parseUint(first) : null;
      if (v === null || v > MAX_UINT32) problem(ctx, `Retry-After "${clip(first)}" is not a number of seconds in 0-(2^32-1)`, line);
      break;
    }
    case "Warning":
      for (const part of splitTopLevel(h.value)) {
        const code = part.split(" ", 1)[0] ?? "";
        if (!/^\d{3}$/.test(code)) problem(ctx, `Warning code "${clip(code)}" is not 3 digits`, line);
      }
      break;
  }
}

function readCSeq(ctx: Ctx, h: ParsedHeader): void {
  const out = ctx.out;
  const v = h.value;
  let i = 0;
  while (i < v.length && v.charCodeAt(i) >= 0x30 && v.charCodeAt(i) <= 0x39) i++;
  const digits = v.slice(0, i);
  const method = v.slice(i).trim();
  if (digits.length === 0 || (i < v.length && v.charCodeAt(i) !== 0x20 && v.charCodeAt(i) !== 0x09)) {
    problem(ctx, `CSeq "${clip(v)}" does not start with a sequence number`, h.line);
    return;
  }
  const seq = parseUint(digits);
  if (seq === null || seq > MAX_CSEQ) {
    problem(ctx, `CSeq number ${clip(digits)} exceeds 2^31-1`, h.line);
    return;
  }
  if (!isToken(method)) {
    problem(ctx, `CSeq method "${clip(method)}" is not a token`, h.line);
    return;
  }
  if (out.cseq === undefined) out.cseq = { seq, method };
  else if (out.cseq.seq !== seq || out.cseq.method !== method) {
    problem(ctx, `several CSeq headers ("${out.cseq.seq} ${out.cseq.method}", "${seq} ${method}")`, h.line);
  }
}

function readAddressList(ctx: Ctx, h: ParsedHeader, into: NameAddr[] | undefined): NameAddr[] {
  const list = into ?? [];
  for (const part of splitTopLevel(h.value)) {
    if (part.length === 0) {
      problem(ctx, `${h.name}: empty value (stray ',')`, h.line);
      continue;
    }
    const r = parseNameAddr(part);
    for (const e of r.errors) problem(ctx, `${h.name}: ${e}`, h.line);
    list.push(r.value);
  }
  return list;
}

function checkUint32Param(ctx: Ctx, h: ParsedHeader, a: NameAddr, name: string): void {
  const v = a.params[name];
  if (v === undefined) return;
  const n = isAllDigits(v) ? parseUint(v) : null;
  if (n === null || n > MAX_UINT32) problem(ctx, `${h.name}: ${name}=${clip(v)} is not a number in 0-(2^32-1)`, h.line);
}

/** One Reason value (RFC 3326): protocol *(; cause=N | text="..." | other). */
function readReason(part: string): ReasonValue | string {
  const semi = part.indexOf(";");
  const protocol = (semi === -1 ? part : part.slice(0, semi)).trim();
  if (!isToken(protocol)) return `protocol "${clip(protocol)}" is not a token`;
  const r: ReasonValue = { protocol };
  if (semi !== -1) {
    const pl = parseParams(part.slice(semi + 1));
    if (pl.errors.length > 0) return pl.errors[0]!;
    const cause = pl.params["cause"];
    if (typeof cause === "string") {
      const n = isAllDigits(cause) ? parseUint(cause) : null;
      if (n === null) return `cause "${clip(cause)}" is not a number`;
      r.cause = n;
    }
    const text = pl.params["text"];
    if (typeof text === "string") r.text = text;
  }
  return r;
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

function hasWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) return true;
  }
  return false;
}

/** The body of the first application/sdp part of a multipart body, if any. */
function findSdpPart(body: string, boundary: string): string | undefined {
  const delimiter = `--${boundary}`;
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    const part = body.slice(at + delimiter.length, next === -1 ? body.length : next);
    const h = /\r?\n\r?\n/.exec(part);
    if (h && /(^|\n)content-type[ \t]*:[ \t]*application\/sdp/i.test(part.slice(0, h.index))) {
      return part.slice(h.index + h[0].length);
    }
    at = next;
  }
  return undefined;
}

function countLf(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

function readBody(ctx: Ctx, bodyText: string, opts: ParseOptions): void {
  const out = ctx.out;
  const realBytes = opts.bodyBytes ?? utf8Length(bodyText);
  out.bodyLength = realBytes;
  out.body = bodyText;
  const cl = out.contentLength;
  if (cl !== undefined) {
    const line = ctx.firstLine.get("Content-Length");
    if (cl > realBytes) {
      // Text exports often turn CRLF into LF; a body that fits once its line ends are CRLF again is whole.
      if (!(ctx.lfOnly && realBytes + countLf(bodyText) === cl)) {
        problem(ctx, `Content-Length ${cl} exceeds the body (${realBytes} bytes)`, line);
      }
    } else if (cl < realBytes) {
      const cut = opts.bodyBytes === undefined ? advanceUtf8Bytes(bodyText, 0, cl, bodyText.length) : Math.min(cl, bodyText.length);
      const extra = bodyText.slice(cut);
      out.body = bodyText.slice(0, cut);
      // Trailing CR/LF after the body is paste or keep-alive residue, not a second message.
      if (!isBlank(extra)) {
        problem(ctx, `Content-Length says ${cl} but the body has ${realBytes} bytes; the ${realBytes - cl} bytes after it are ignored`, line, "warning");
      }
    }
  }
  if (out.body.length === 0) return;
  if (out.contentType === "application/sdp" || (out.contentType === undefined && out.body.startsWith("v=0"))) {
    out.sdp = summarizeSdp(out.body);
  } else if (out.contentType?.startsWith("multipart/")) {
    // SIP-I/SIP-T and S/MIME carry the SDP as one part of a multipart body (RFC 5621).
    const ct = out.headers.find((h) => h.name === "Content-Type")?.value ?? "";
    const boundary = parseParams(ct.slice(ct.indexOf(";") + 1)).params["boundary"];
    const sdp = typeof boundary === "string" ? findSdpPart(out.body, boundary) : undefined;
    if (sdp !== undefined) out.sdp = summarizeSdp(sdp);
  }
}
