/** Meaning of the headers the analysis relies on (RFC 3261 §20, RFC 3326), each problem on its line. */
import type { NameAddr, ParsedHeader, ReasonValue } from "./types.js";
import { problem, type Ctx } from "./context.js";
import { isAllDigits, isToken, parseParams, parseUint, splitTopLevel } from "./lexing.js";
import { clip, parseNameAddr } from "./uri.js";
import { parseVia } from "./via.js";
import { noteLinkHeader } from "./link-headers.js";
import { itemAt } from "../access.js";

const MAX_CSEQ = 2 ** 31 - 1;
const MAX_UINT32 = 2 ** 32 - 1;

export function interpretHeader(ctx: Ctx, h: ParsedHeader): void {
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
    default:
      noteLinkHeader(out, h.name, h.value);
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
    if (pl.errors.length > 0) return itemAt(pl.errors, 0);
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

function hasWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) return true;
  }
  return false;
}
