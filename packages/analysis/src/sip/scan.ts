/**
 * The fast path of the parser, for the model: reads a message in the strict, common form that
 * real SIP stacks send (one space between start-line elements, plain name-addr values, token
 * parameters, a Content-Length that matches the body) into the fields the model keeps, and gives
 * up (null) on anything else, so that `parseSipMessage` reads it with its full, located problems.
 * What the fast path accepts, the full parser reads the same way with no problem: a test checks
 * this on every message of the corpus.
 */
import { utf8Length } from "./framing.js";
import { canonicalHeaderName } from "./header-names.js";
import { isToken } from "./lexing.js";
import { noteLinkHeader } from "./link-headers.js";
import { summarizeSdp } from "./sdp.js";
import type { NameAddr, ParsedSip, Via } from "./types.js";
import { itemAt } from "../access.js";

const HOST = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])`;
const PORT = String.raw`(?:\d{1,4}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d\d|655[0-2]\d|6553[0-5])`;
const USER = String.raw`[A-Za-z0-9\-_.!~*'()%&=+$,/]+`;
const PARAM_VALUE = String.raw`[A-Za-z0-9\-_.!~*'%+]+`;
const URI_PARAMS = String.raw`(?:;[A-Za-z0-9\-_.!~*'%]+(?:=${PARAM_VALUE})?)*`;
/** A SIP URI without headers: scheme, optional user, host, optional port, token parameters. */
const SIP_URI = String.raw`sips?:(?:${USER}@)?${HOST}(?::${PORT})?`;
const REQUEST_LINE = new RegExp(String.raw`^([A-Z]+) (${SIP_URI}${URI_PARAMS}) SIP/2\.0$`);
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d) ([^\r\n]*)$/;
/** `"Name" <uri>;params`, `Name <uri>;params` or `uri;params` (header parameters, tokens only). */
const NAME_ADDR = new RegExp(
  String.raw`^(?:"[^"\\\r\n]*" ?|[A-Za-z0-9\-.!%*_+\x60'~]+(?: [A-Za-z0-9\-.!%*_+\x60'~]+)* ?)?<(${SIP_URI}${URI_PARAMS})>((?:;[A-Za-z0-9\-_.!~*'%]+(?:=${PARAM_VALUE})?)*)$|^(${SIP_URI})((?:;[A-Za-z0-9\-_.!~*'%]+(?:=${PARAM_VALUE})?)*)$`,
);
const VIA = new RegExp(
  String.raw`^SIP/2\.0/(UDP|TCP|TLS|SCTP|WS|WSS) (${HOST})(?::(${PORT}))?((?:;[A-Za-z0-9\-_.!~*'%]+(?:=[A-Za-z0-9\-_.!~*'%+:\[\]]+)?)*)$`,
  "i",
);
const CSEQ = /^(\d{1,10}) ([A-Za-z]+)$/;
const DIGITS = /^\d{1,10}$/;
const CONTENT_TYPE = /^[^\s/;]+\/[^\s/;]+$/;
const MAX_UINT32 = 2 ** 32 - 1;
const NO_PARAMS: Record<string, never> = Object.freeze({});

/** Header parameters as name → value ("" for a flag), names lower-cased; undefined when one repeats. */
function tokenParams(text: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  if (text.length === 0) return out;
  for (const p of text.slice(1).split(";")) {
    const eq = p.indexOf("=");
    const name = (eq === -1 ? p : p.slice(0, eq)).toLowerCase();
    if (out.has(name)) return undefined;
    out.set(name, eq === -1 ? "" : p.slice(eq + 1));
  }
  return out;
}

function nameAddr(value: string): NameAddr | null {
  const m = NAME_ADDR.exec(value);
  if (!m) return null;
  const uri = m[1] ?? itemAt(m, 3);
  const params = tokenParams(m[2] ?? m[4] ?? "");
  if (!params) return null;
  const tag = params.get("tag");
  if (tag === "") return null;
  const expires = params.get("expires");
  if (expires !== undefined && !(DIGITS.test(expires) && Number(expires) <= MAX_UINT32)) return null;
  return { uri, params: NO_PARAMS, tag };
}

function via(value: string, into: Via[]): boolean {
  for (const part of value.split(",")) {
    const m = VIA.exec(part.trim());
    if (!m) return false;
    const params = tokenParams(itemAt(m, 4));
    if (!params) return false;
    const branch = params.get("branch");
    if (branch === "" || branch === "z9hG4bK") return false;
    const rport = params.get("rport");
    into.push({
      protocol: "SIP/2.0",
      transport: itemAt(m, 1).toUpperCase(),
      host: itemAt(m, 2),
      port: m[3] === undefined ? null : Number(m[3]),
      branch,
      received: params.get("received") || undefined,
      rport: rport === undefined ? undefined : rport === "" ? true : rport,
      params: NO_PARAMS,
    });
  }
  return true;
}

function addressList(value: string, into: NameAddr[]): boolean {
  if (value.includes('"')) return false;
  for (const part of value.split(",")) {
    const a = nameAddr(part.trim());
    if (!a) return false;
    into.push(a);
  }
  return true;
}

/** The slim reading of a well-formed message (no header list, no body text), or null: use the full parser. */
export function scanSipMessage(text: string): ParsedSip | null {
  let pos: number;
  const n = text.length;
  let nl = text.indexOf("\n");
  if (nl === -1) return null;
  const startLine = text.slice(0, nl > 0 && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl);
  const out: ParsedSip = { kind: "invalid", headers: [], vias: [], reason: [], body: "", bodyLength: 0, problems: [] };
  const req = REQUEST_LINE.exec(startLine);
  if (req) {
    out.kind = "request";
    out.method = itemAt(req, 1);
    out.requestUri = itemAt(req, 2);
  } else {
    const res = STATUS_LINE.exec(startLine);
    if (!res) return null;
    out.kind = "response";
    out.status = Number(res[1]);
    out.reasonPhrase = itemAt(res, 2);
  }
  out.version = "SIP/2.0";
  pos = nl + 1;
  let maxForwards = false;
  let bodyStart = n;
  while (pos < n) {
    nl = text.indexOf("\n", pos);
    if (nl === -1) nl = n;
    const end = nl > pos && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    if (end === pos) {
      bodyStart = nl + 1;
      break;
    }
    const colon = text.indexOf(":", pos);
    if (colon === -1 || colon >= end) return null;
    const first = text.charCodeAt(pos);
    if (first === 0x20 || first === 0x09) return null;
    let nameEnd = colon;
    while (nameEnd > pos && text.charCodeAt(nameEnd - 1) === 0x20) nameEnd--;
    let vs = colon + 1;
    while (vs < end && text.charCodeAt(vs) === 0x20) vs++;
    let ve = end;
    while (ve > vs && (text.charCodeAt(ve - 1) === 0x20 || text.charCodeAt(ve - 1) === 0x09)) ve--;
    const rawName = text.slice(pos, nameEnd);
    const value = text.slice(vs, ve);
    pos = nl + 1;
    if (!readHeader(out, canonicalHeaderName(rawName), rawName, value)) return null;
    if (out.maxForwards !== undefined) maxForwards = true;
  }
  if (out.callId === undefined || out.cseq === undefined || out.from === undefined || out.to === undefined || out.vias.length === 0) return null;
  if (out.kind === "request" && (!maxForwards || out.cseq.method !== out.method)) return null;
  const body = bodyStart < n ? text.slice(bodyStart) : "";
  const bodyLength = utf8Length(body);
  if (out.contentLength !== undefined ? out.contentLength !== bodyLength : bodyLength !== 0) return null;
  out.bodyLength = bodyLength;
  if (bodyLength > 0) {
    if (out.contentType !== "application/sdp") return null;
    out.sdp = summarizeSdp(body);
  }
  return out;
}

/** Reads one header into `out`; false when it is not in the strict form (the full parser takes over). */
function readHeader(out: ParsedSip, name: string, rawName: string, value: string): boolean {
  switch (name) {
    case "Via":
      return via(value, out.vias);
    case "Call-ID":
      if (out.callId !== undefined || value.length === 0 || /\s/.test(value)) return false;
      out.callId = value;
      return true;
    case "CSeq": {
      const m = CSEQ.exec(value);
      if (!m || out.cseq !== undefined) return false;
      const seq = Number(m[1]);
      if (seq > 2 ** 31 - 1) return false;
      out.cseq = { seq, method: itemAt(m, 2) };
      return true;
    }
    case "From":
    case "To": {
      const key = name === "From" ? "from" : "to";
      if (out[key] !== undefined) return false;
      const a = nameAddr(value);
      if (!a) return false;
      out[key] = a;
      return true;
    }
    case "Contact":
      if (value === "*") {
        (out.contact ??= []).push({ uri: "*", params: NO_PARAMS });
        return true;
      }
      return addressList(value, (out.contact ??= []));
    case "Route":
    case "Record-Route":
      return addressList(value, []);
    case "Max-Forwards":
      if (out.maxForwards !== undefined || !/^\d{1,3}$/.test(value) || Number(value) > 255) return false;
      out.maxForwards = Number(value);
      return true;
    case "Expires":
      if (out.expires !== undefined || !DIGITS.test(value) || Number(value) > MAX_UINT32) return false;
      out.expires = Number(value);
      return true;
    case "Content-Length":
      if (out.contentLength !== undefined || !DIGITS.test(value)) return false;
      out.contentLength = Number(value);
      return true;
    case "Content-Type": {
      if (out.contentType !== undefined) return false;
      const semi = value.indexOf(";");
      const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
      if (!CONTENT_TYPE.test(type)) return false;
      out.contentType = type;
      return true;
    }
    case "Date":
      return / GMT$/.test(value);
    case "Reason":
    case "Retry-After":
    case "Warning":
      return false;
    default:
      noteLinkHeader(out, name, value);
      return isToken(rawName);
  }
}
