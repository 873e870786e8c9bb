/** Via header values (RFC 3261 §20.42): sent-protocol, sent-by, params. */
import type { Via } from "./types.js";
import { isTokenChar, parseParams, parseUint } from "./lexing.js";
import { clip } from "./uri.js";

export interface ViaReading {
  via: Via;
  errors: string[];
  warnings: string[];
}

const TRANSPORTS = new Map<string, string>();
for (const t of ["UDP", "TCP", "TLS", "SCTP", "WS", "WSS", "TLS-SCTP"]) {
  TRANSPORTS.set(t, t);
  TRANSPORTS.set(t.toLowerCase(), t);
}

function skipWs(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) break;
    i++;
  }
  return i;
}

function readToken(s: string, i: number): number {
  while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
  return i;
}

/** Parses one via-parm (the header value already split on top-level commas). */
export function parseVia(value: string): ViaReading {
  const errors: string[] = [];
  const warnings: string[] = [];
  const via: Via = { protocol: "", transport: "", host: "", port: null, params: {} };
  const s = value;
  let i = skipWs(s, 0);
  const parts: string[] = [];
  for (let k = 0; k < 3; k++) {
    const start = i;
    i = readToken(s, i);
    parts.push(s.slice(start, i));
    i = skipWs(s, i);
    if (k < 2) {
      if (s.charCodeAt(i) !== 0x2f) {
        errors.push(`Via sent-protocol "${clip(s.slice(0, i + 1).trim())}" is not name/version/transport`);
        return { via, errors, warnings };
      }
      i = skipWs(s, i + 1);
    }
  }
  const [name, version, transport] = parts as [string, string, string];
  // Shared constants instead of fresh strings: parsed messages are kept for the whole analysis.
  via.protocol = name === "SIP" && version === "2.0" ? "SIP/2.0" : `${name}/${version}`;
  via.transport = TRANSPORTS.get(transport) ?? transport.toUpperCase();
  if (name.toUpperCase() !== "SIP" || version !== "2.0") errors.push(`Via protocol ${via.protocol} is not SIP/2.0`);
  if (transport.length === 0) errors.push("Via has no transport");
  // sent-by: host [":" port]
  const hostStart = i;
  if (s.charCodeAt(i) === 0x5b) {
    const close = s.indexOf("]", i);
    i = close === -1 ? s.length : close + 1;
    if (close === -1) errors.push("Via IPv6 sent-by has no closing ']'");
  } else {
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 0x3a || c === 0x3b || c === 0x20 || c === 0x09) break;
      i++;
    }
  }
  via.host = s.slice(hostStart, i);
  if (via.host.length === 0) {
    errors.push("Via has no sent-by host");
  }
  i = skipWs(s, i);
  if (s.charCodeAt(i) === 0x3a) {
    i = skipWs(s, i + 1);
    const ps = i;
    while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
    const port = parseUint(s.slice(ps, i));
    if (port === null || port > 65535) errors.push(`Via port "${s.slice(ps, i)}" is not a port number`);
    else via.port = port;
    i = skipWs(s, i);
  }
  if (i < s.length) {
    if (s.charCodeAt(i) !== 0x3b) {
      errors.push(`unexpected "${clip(s.slice(i))}" after the Via sent-by`);
    } else {
      const pl = parseParams(s.slice(i + 1));
      for (const e of pl.errors) errors.push(`Via ${e}`);
      via.params = pl.params;
    }
  }
  const p = via.params;
  if (typeof p["branch"] === "string") {
    via.branch = p["branch"];
    if (via.branch === "z9hG4bK") warnings.push("Via branch is only the magic cookie z9hG4bK (no transaction id)");
  } else if (p["branch"] === true) errors.push("Via branch parameter has no value");
  if (typeof p["received"] === "string") via.received = p["received"];
  if (p["rport"] !== undefined) via.rport = p["rport"];
  return { via, errors, warnings };
}
