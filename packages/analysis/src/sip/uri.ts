/** SIP URIs (RFC 3261 §19.1) and name-addr / addr-spec header values (§20.10, §25.1). */
import type { NameAddr } from "./types.js";
import { isTokenChar, parseParams, parseUint, unescapePairs } from "./lexing.js";

interface UriParts {
  scheme: string;
  user?: string;
  host?: string;
  port?: number;
  params: Record<string, string | true>;
  /** The "?headers" part, without the '?'. */
  headers?: string;
}

export interface UriReading {
  uri: UriParts;
  errors: string[];
}

function isSchemeChar(c: number, first: boolean): boolean {
  const alpha = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  if (first) return alpha;
  return alpha || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/** Length of a valid "scheme:" prefix (without the colon), or 0. */
export function schemeLength(s: string): number {
  let i = 0;
  while (i < s.length && isSchemeChar(s.charCodeAt(i), i === 0)) i++;
  return i > 0 && s.charCodeAt(i) === 0x3a ? i : 0;
}

export function parseUri(text: string): UriReading {
  const errors: string[] = [];
  const n = schemeLength(text);
  if (n === 0) {
    return { uri: { scheme: "", params: {} }, errors: [`"${clip(text)}" is not a URI (no scheme)`] };
  }
  const scheme = text.slice(0, n).toLowerCase();
  const rest = text.slice(n + 1);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09) {
      errors.push(`URI "${clip(text)}" contains whitespace`);
      break;
    }
  }
  if (scheme === "sip" || scheme === "sips") return { uri: parseSipUriBody(scheme, rest, errors), errors };
  if (scheme === "tel") {
    const semi = rest.indexOf(";");
    const user = semi === -1 ? rest : rest.slice(0, semi);
    const params = semi === -1 ? {} : parseParams(rest.slice(semi + 1)).params;
    return { uri: { scheme, user, params }, errors };
  }
  return { uri: { scheme, params: {} }, errors };
}

function parseSipUriBody(scheme: string, rest: string, errors: string[]): UriParts {
  // userinfo ends at the first '@' ('@' is not allowed unescaped in user or password).
  const at = rest.indexOf("@");
  let user: string | undefined;
  let hostStart = 0;
  if (at !== -1) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(":");
    user = colon === -1 ? userinfo : userinfo.slice(0, colon);
    hostStart = at + 1;
    if (user.length === 0) errors.push("SIP URI has an empty user part before '@'");
  }
  let i = hostStart;
  let host: string;
  if (rest.charCodeAt(i) === 0x5b) {
    const close = rest.indexOf("]", i);
    if (close === -1) {
      errors.push("IPv6 reference in URI has no closing ']'");
      host = rest.slice(i);
      i = rest.length;
    } else {
      host = rest.slice(i, close + 1);
      i = close + 1;
    }
  } else {
    while (i < rest.length) {
      const c = rest.charCodeAt(i);
      if (c === 0x3a || c === 0x3b || c === 0x3f) break;
      i++;
    }
    host = rest.slice(hostStart, i);
  }
  if (host.length === 0) errors.push("SIP URI has no host");
  let port: number | undefined;
  if (rest.charCodeAt(i) === 0x3a) {
    let j = i + 1;
    while (j < rest.length && rest.charCodeAt(j) >= 0x30 && rest.charCodeAt(j) <= 0x39) j++;
    const p = parseUint(rest.slice(i + 1, j));
    if (p === null || p > 65535) errors.push(`URI port "${rest.slice(i + 1, j)}" is not a port number`);
    else port = p;
    i = j;
  }
  let params: Record<string, string | true> = {};
  let headers: string | undefined;
  const q = rest.indexOf("?", i);
  const paramEnd = q === -1 ? rest.length : q;
  if (rest.charCodeAt(i) === 0x3b) {
    const pl = parseParams(rest.slice(i + 1, paramEnd));
    params = pl.params;
    for (const e of pl.errors) errors.push(`URI ${e}`);
  } else if (i < paramEnd) {
    errors.push(`unexpected "${clip(rest.slice(i, paramEnd))}" after the URI host`);
  }
  if (q !== -1) headers = rest.slice(q + 1);
  const out: UriParts = { scheme, params };
  if (user !== undefined) out.user = user;
  if (host.length > 0) out.host = host.toLowerCase();
  if (port !== undefined) out.port = port;
  if (headers !== undefined) out.headers = headers;
  return out;
}

export interface NameAddrReading {
  value: NameAddr;
  errors: string[];
}

/** Valueless parameters read as "" in a NameAddr; converted in place to avoid a second object. */
function toStringParams(p: Record<string, string | true>): Record<string, string> {
  for (const k in p) if (p[k] === true) p[k] = "";
  return p as Record<string, string>;
}

/** Reads a From/To/Contact/Route value: `"Name" <uri>;params`, `Name <uri>`, or `uri;params`. */
export function parseNameAddr(input: string): NameAddrReading {
  const errors: string[] = [];
  const s = input.trim();
  let displayName: string | undefined;
  let uriText: string;
  let after: string;
  let i = 0;
  if (s.charCodeAt(0) === 0x22) {
    let j = 1;
    let closed = -1;
    let escaped = false;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (c === 0x5c) {
        escaped = true;
        j += 2;
        continue;
      }
      if (c === 0x22) {
        closed = j;
        break;
      }
      j++;
    }
    const raw = s.slice(1, closed === -1 ? s.length : closed);
    const name = escaped ? unescapePairs(raw) : raw;
    if (closed === -1) {
      errors.push("unterminated quoted string in the display name");
      const lt = s.indexOf("<");
      displayName = lt === -1 ? name : s.slice(1, lt).trim();
      i = lt === -1 ? s.length : lt;
    } else {
      displayName = name;
      i = closed + 1;
      while (i < s.length && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
      if (s.charCodeAt(i) !== 0x3c) errors.push("a quoted display name must be followed by <URI>");
    }
  } else {
    const lt = s.indexOf("<");
    if (lt !== -1) {
      const name = s.slice(0, lt).trim();
      if (name.length > 0) {
        displayName = name;
        for (let k = 0; k < name.length; k++) {
          const c = name.charCodeAt(k);
          if (!isTokenChar(c) && c !== 0x20 && c !== 0x09) {
            errors.push(`display name "${clip(name)}" contains "${name[k]}", which must be quoted`);
            break;
          }
        }
      }
      i = lt;
    }
  }
  if (s.charCodeAt(i) === 0x3c) {
    const gt = s.indexOf(">", i);
    if (gt === -1) {
      errors.push("'<' without a closing '>'");
      uriText = s.slice(i + 1);
      after = "";
    } else {
      const inner = s.slice(i + 1, gt);
      uriText = inner.trim();
      if (uriText.length !== inner.length) errors.push("whitespace inside <...> around the URI");
      after = s.slice(gt + 1);
    }
  } else {
    // addr-spec: the URI cannot carry ';' params or '?' headers here; ';' starts header params.
    const semi = s.indexOf(";", i);
    uriText = (semi === -1 ? s.slice(i) : s.slice(i, semi)).trim();
    after = semi === -1 ? "" : s.slice(semi);
    if (uriText.includes("?")) errors.push("a URI with headers ('?') must be enclosed in <...>");
  }
  const value: NameAddr = { uri: uriText, params: {} };
  if (displayName !== undefined) value.displayName = displayName;
  if (uriText === "*") return { value, errors };
  const u = parseUri(uriText);
  for (const e of u.errors) errors.push(e);
  if (u.uri.scheme) value.scheme = u.uri.scheme;
  if (u.uri.user !== undefined) value.user = u.uri.user;
  if (u.uri.host !== undefined) value.host = u.uri.host;
  if (u.uri.port !== undefined) value.port = u.uri.port;
  const rest = after.trim();
  if (rest.length > 0) {
    if (rest.charCodeAt(0) !== 0x3b) errors.push(`unexpected "${clip(rest)}" after the address`);
    else {
      const pl = parseParams(rest.slice(1));
      for (const e of pl.errors) errors.push(e);
      value.params = toStringParams(pl.params);
      const tag = pl.params["tag"];
      if (typeof tag === "string") value.tag = tag;
      else if (tag === true) errors.push("tag parameter has no value");
    }
  }
  return { value, errors };
}

export function clip(s: string, max = 60): string {
  return s.length <= max ? s : s.slice(0, max) + "…";
}
