/**
 * URIs and parameters by grammar (RFC 3261 §19.1, §25.1; RFC 3966 tel; RFC 4694 rn/npdi): every
 * user part (and its ;rn=/;isub= parameters), password, host and identifying parameter becomes a
 * pseudonym, the rest of the text stays as written (scheme, port, transport, lr, tag…).
 */
import { schemeLength } from "../../sip/uri.js";
import { REDACTED, type PseudonymBook } from "./pseudonym-book.js";
import { itemAt, present } from "../../access.js";

const IPV4_WHOLE = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const DOMAIN_WHOLE = /^(?=.*[a-z])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z][a-z0-9-]*[a-z0-9]$/i;
const PHONE_LIKE = /^\+?[\d\-.()]+$/;

/** Parameters that are protocol mechanics or random per transaction, not who or where. */
const KEEP = new Set([
  "tag",
  "branch",
  "rport",
  "transport",
  "user",
  "method",
  "ttl",
  "lr",
  "ftag",
  "ob",
  "comp",
  "r2",
  "nat",
  "expires",
  "q",
  "reason",
  "privacy",
  "screen",
  "party",
  "id-type",
  "counter",
  "limit",
  "index",
  "cause",
  "text",
  "purpose",
  "refresher",
  "early-only",
  "to-tag",
  "from-tag",
  "alias",
  "keep",
  "npdi",
  "did",
  "algorithm",
  "qop",
  "nc",
  "stale",
  "reg-id",
  "protocol",
  "duration",
  "appearance",
  "event",
  "retry-after",
  "proxy",
  "handling",
  "rc",
  "mp",
  "np",
]);
/** Parameters that name a host. */
const HOST_PARAMS = new Set(["maddr", "received", "icid-generated-at", "orig-ioi", "term-ioi", "ccf", "ecf", "sent-by"]);
/** Parameters that always identify someone or something (routing numbers, sub-addresses, instances). */
const ID_PARAMS = new Set([
  "rn",
  "isub",
  "phone-context",
  "cic",
  "tgrp",
  "trunk-context",
  "gr",
  "line",
  "+sip.instance",
  "pn-prid",
  "pn-param",
  "icid-value",
  "remote",
  "rinstance",
  "dai",
  "oli",
  "cpc",
  "ext",
  "postd",
  "orig",
  "term",
]);

export function isIpv6(v: string): boolean {
  return /^[0-9a-f:.]+$/i.test(v) && (v.includes("::") || (v.match(/:/g)?.length ?? 0) >= 5);
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function looksLikeHost(v: string): boolean {
  const h = stripBrackets(v);
  return IPV4_WHOLE.test(h) || isIpv6(h) || DOMAIN_WHOLE.test(h);
}

function isPhoneLike(v: string): boolean {
  return PHONE_LIKE.test(v) && (v.match(/\d/g)?.length ?? 0) >= 4;
}

/**
 * Splits on `sep` outside "quoted strings" and <…>, keeping every character: joining the pieces
 * with `sep` gives the text back.
 */
export function splitKeeping(text: string, sep: string): string[] {
  if (!text.includes(sep)) return [text];
  const parts: string[] = [];
  let start = 0;
  let inQuote = false;
  let angle = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === "\\") i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === "<") angle++;
    else if (c === ">") angle = Math.max(0, angle - 1);
    else if (c === sep && angle === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** "host", "host:port", "[v6]:port": the host becomes a pseudonym, the port stays. */
export function redactHostPort(text: string, book: PseudonymBook): string {
  // A bare IPv6 address (received=2001:db8::1) has colons but no port.
  if (isIpv6(text.trim())) return text.replace(text.trim(), book.of("host", text.trim()));
  const m = /^(\s*)(\[[^\]]*\]|[^\s:;?,>]+)(.*)$/s.exec(text);
  if (!m) return text;
  return `${m[1]}${book.of("host", stripBrackets(itemAt(m, 2)))}${m[3]}`;
}

/** The value of one parameter, by its name and, for names we do not know, by its shape. */
function redactParamValue(name: string, value: string, book: PseudonymBook): string {
  if (value.length === 0 || KEEP.has(name)) return value;
  if (HOST_PARAMS.has(name)) return redactHostPort(value, book);
  const lt = value.indexOf("<");
  if (lt !== -1 && value.endsWith(">")) return `${value.slice(0, lt + 1)}${redactUri(value.slice(lt + 1, -1), book)}>`;
  if (schemeLength(value) > 0 && /^(?:sips?|tel|https?):/i.test(value)) return redactUri(value, book);
  if (ID_PARAMS.has(name) || name.startsWith("x-")) return book.of(isPhoneLike(value) ? "user" : "id", value);
  if (looksLikeHost(value)) return book.of("host", stripBrackets(value));
  if (isPhoneLike(value)) return book.of("user", value);
  return value;
}

/** One "name[=value]" parameter; a quoted value keeps its quotes. */
function redactParam(segment: string, book: PseudonymBook): string {
  const eq = segment.indexOf("=");
  if (eq === -1) return segment;
  const name = segment.slice(0, eq).trim().toLowerCase();
  const m = present(/^(\s*)(.*?)(\s*)$/s.exec(segment.slice(eq + 1)));
  const value = itemAt(m, 2);
  const quoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"');
  const inner = redactParamValue(name, quoted ? value.slice(1, -1) : value, book);
  return `${segment.slice(0, eq + 1)}${m[1]}${quoted ? `"${inner}"` : inner}${m[3]}`;
}

/** "a=1;b;c=x" (the text after a ';'): each value by redactParamValue. */
export function redactParams(text: string, book: PseudonymBook): string {
  return splitKeeping(text, ";")
    .map((segment) => redactParam(segment, book))
    .join(";");
}

/** A URI user part: the number or name, then its ";rn=…;npdi;isub=…" user parameters. */
function redactUser(user: string, book: PseudonymBook): string {
  const semi = user.indexOf(";");
  const main = semi === -1 ? user : user.slice(0, semi);
  const pseudonym = main.length ? book.of("user", main) : main;
  return semi === -1 ? pseudonym : `${pseudonym};${redactParams(user.slice(semi + 1), book)}`;
}

/** userinfo: user[;params][:password]; a password is never worth following. */
function redactUserinfo(userinfo: string, book: PseudonymBook): string {
  const colon = userinfo.indexOf(":");
  if (colon === -1) return redactUser(userinfo, book);
  return `${redactUser(userinfo.slice(0, colon), book)}:${REDACTED}`;
}

/** "?h=v&h=v" headers inside a URI: names stay, values are identifiers (a Replaces names a Call-ID). */
function redactUriHeaders(headers: string, book: PseudonymBook): string {
  return headers
    .split("&")
    .map((h) => {
      const eq = h.indexOf("=");
      return eq === -1 ? h : `${h.slice(0, eq + 1)}${book.of("id", h.slice(eq + 1))}`;
    })
    .join("&");
}

/** The part of a SIP URI after "sip:": userinfo@hostport;params?headers. */
export function redactSipUriBody(rest: string, book: PseudonymBook): string {
  const q = rest.indexOf("?");
  // userinfo cannot hold an unescaped '@': the first one ends it.
  const first = rest.indexOf("@");
  const at = q !== -1 && first > q ? -1 : first;
  let out = "";
  let i = 0;
  if (at !== -1) {
    out += `${redactUserinfo(rest.slice(0, at), book)}@`;
    i = at + 1;
  }
  const hostEnd = rest[i] === "[" ? rest.indexOf("]", i) + 1 || rest.length : scanTo(rest, i, ":;?");
  out += book.of("host", stripBrackets(rest.slice(i, hostEnd)));
  let j = hostEnd;
  if (rest[j] === ":") {
    const portEnd = scanTo(rest, j + 1, ";?");
    out += rest.slice(j, portEnd);
    j = portEnd;
  }
  const paramsEnd = q === -1 || q < j ? rest.length : q;
  if (rest[j] === ";") out += `;${redactParams(rest.slice(j + 1, paramsEnd), book)}`;
  else out += rest.slice(j, paramsEnd);
  if (paramsEnd < rest.length) out += `?${redactUriHeaders(rest.slice(paramsEnd + 1), book)}`;
  return out;
}

function scanTo(text: string, from: number, stops: string): number {
  let i = from;
  while (i < text.length && !stops.includes(itemAt(text, i))) i++;
  return i;
}

/** http(s)/ws(s)/ftp: the authority's user and host, and the path (it often names an account). */
function redactWebUri(rest: string, book: PseudonymBook): string {
  if (!rest.startsWith("//")) return book.of("id", rest);
  const end = scanTo(rest, 2, "/?#");
  const authority = rest.slice(2, end);
  const at = authority.lastIndexOf("@");
  const hostPort = redactHostPort(at === -1 ? authority : authority.slice(at + 1), book);
  const user = at === -1 ? "" : `${redactUserinfo(authority.slice(0, at), book)}@`;
  const path = rest.slice(end);
  return `//${user}${hostPort}${path.length > 1 ? `/${book.of("id", path)}` : path}`;
}

/** Any URI: SIP, SIPS, tel, mailto, web, urn; an unknown scheme keeps only its name. */
export function redactUri(uri: string, book: PseudonymBook): string {
  const n = schemeLength(uri);
  if (n === 0) return uri.trim() === "*" ? uri : redactSipUriBody(uri, book);
  const prefix = uri.slice(0, n + 1);
  const rest = uri.slice(n + 1);
  switch (prefix.slice(0, -1).toLowerCase()) {
    case "sip":
    case "sips":
    case "mailto":
    case "im":
    case "pres":
      return prefix + redactSipUriBody(rest, book);
    case "tel":
      return prefix + redactUser(rest, book);
    case "http":
    case "https":
    case "ws":
    case "wss":
    case "ftp":
      return prefix + redactWebUri(rest, book);
    case "urn":
      // urn:service:sos and 3GPP service URNs name a service; urn:uuid and others name a device.
      return /^(?:service|urn-7):/i.test(rest) ? uri : prefix + book.of("id", rest);
    default:
      return prefix + book.of("id", rest);
  }
}
