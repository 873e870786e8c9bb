/**
 * One SIP header value by its name's grammar: address headers by name-addr/addr-spec, Call-IDs
 * whole, digest credentials quoted or not, Via sent-by, Warning agents, product tokens with
 * serials. A header we know carries only protocol mechanics keeps its value (addresses in it are
 * still found); any other header, X- headers first, keeps its name and loses its value.
 */
import { canonicalHeaderName } from "../../sip/header-names.js";
import { redactFreeText } from "./free-text.js";
import { REDACTED, type PseudonymBook } from "./pseudonym-book.js";
import { redactHostPort, redactParams, redactUri, splitKeeping } from "./uri.js";
import { itemAt, present } from "../../access.js";

const ADDRESS = new Set(
  [
    "From",
    "To",
    "Contact",
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Remote-Party-ID",
    "Diversion",
    "History-Info",
    "Referred-By",
    "Refer-To",
    "Reply-To",
    "Route",
    "Record-Route",
    "Path",
    "Service-Route",
    "P-Called-Party-ID",
    "P-Associated-URI",
    "P-Served-User",
    "Call-Info",
    "Alert-Info",
    "Error-Info",
    "Identity-Info",
    "Geolocation",
    "Permission-Missing",
    "Trigger-Consent",
    "P-Refused-URI-List",
  ].map((n) => n.toLowerCase()),
);
const CALL_IDS = new Set(["call-id", "in-reply-to", "x-cid", "x-call-id", "x-orig-call-id", "x-original-call-id"]);
/** A Call-ID then ;to-tag/;from-tag parameters. */
const DIALOG_REFERENCES = new Set(["replaces", "join", "target-dialog"]);
const CREDENTIALS = new Set(["authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate", "authentication-info"]);
const PRODUCTS = new Set(["server", "user-agent"]);
/** Free text or signatures that say who: replaced whole. */
const WHOLE = new Set(["organization", "subject", "identity"]);
/** Only parameters (or an identifier, then parameters). */
const PARAMETERS = new Set(["p-charging-vector", "p-charging-function-addresses", "session-id", "p-access-network-info", "p-visited-network-id"]);
/** Protocol mechanics: the value stays (addresses or URIs in it are still redacted as free text). */
const MECHANICS = new Set(
  [
    "Accept",
    "Accept-Contact",
    "Accept-Encoding",
    "Accept-Language",
    "Allow",
    "Allow-Events",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Event",
    "Expires",
    "Max-Forwards",
    "Min-Expires",
    "Min-SE",
    "MIME-Version",
    "Priority",
    "Privacy",
    "Proxy-Require",
    "RAck",
    "Reason",
    "Reject-Contact",
    "Request-Disposition",
    "Require",
    "Retry-After",
    "RSeq",
    "Session-Expires",
    "Subscription-State",
    "Supported",
    "Timestamp",
    "Unsupported",
    "Recv-Info",
    "Info-Package",
    "P-Early-Media",
    "Security-Client",
    "Security-Server",
    "Security-Verify",
    "Feature-Caps",
    "Max-Breadth",
    "Resource-Priority",
    "Refer-Sub",
    "Flow-Timer",
  ].map((n) => n.toLowerCase()),
);
/** Digest parameters that are neither who nor a secret. */
const DIGEST_MECHANICS = new Set(["algorithm", "qop", "nc", "stale", "charset", "userhash"]);

function closingQuote(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/** `"Name" <uri>;params`, `Name <uri>;params` or `uri;params`. */
function redactAddress(element: string, book: PseudonymBook): string {
  const lead = present(/^\s*/.exec(element))[0];
  let s = element.slice(lead.length);
  let out = lead;
  if (s.startsWith('"')) {
    const close = closingQuote(s, 0);
    if (close === -1) return lead + redactFreeText(s, book);
    out += `"${book.of("name", s.slice(1, close))}"`;
    s = s.slice(close + 1);
  }
  let rest: string;
  const lt = s.indexOf("<");
  if (lt !== -1) {
    const before = s.slice(0, lt);
    const name = before.trim();
    out += name ? before.replace(name, book.of("name", name)) : before;
    const gt = s.indexOf(">", lt);
    out += `<${redactUri(s.slice(lt + 1, gt === -1 ? s.length : gt), book)}${gt === -1 ? "" : ">"}`;
    rest = gt === -1 ? "" : s.slice(gt + 1);
  } else {
    // addr-spec: its URI runs to the first ';' after the host (a user part may hold ;rn=…).
    const semi = s.indexOf(";", Math.max(0, s.indexOf("@")));
    const uri = semi === -1 ? s : s.slice(0, semi);
    const trailing = present(/\s*$/.exec(uri))[0];
    out += redactUri(uri.slice(0, uri.length - trailing.length), book) + trailing;
    rest = semi === -1 ? "" : s.slice(semi);
  }
  const semi = rest.indexOf(";");
  if (semi !== -1 && rest.slice(0, semi).trim() === "") return `${out}${rest.slice(0, semi + 1)}${redactParams(rest.slice(semi + 1), book)}`;
  return out + redactFreeText(rest, book);
}

/** Digest/Basic credentials and challenges: who stays followable (username, realm), secrets go. */
function redactCredentials(value: string, book: PseudonymBook): string {
  return value.replace(/([\w-]+)(\s*=\s*)("(?:[^"\\]|\\.)*"|[^\s,]*)/g, (_m, param: string, eq: string, raw: string) => {
    const quoted = raw.startsWith('"');
    const v = quoted ? raw.slice(1, -1) : raw;
    const name = param.toLowerCase();
    let out: string;
    if (DIGEST_MECHANICS.has(name)) out = v;
    else if (name === "username") out = book.of("user", v);
    else if (name === "realm") out = book.of("host", v);
    else if (name === "uri" || name === "domain")
      out = v
        .split(" ")
        .map((u) => redactUri(u, book))
        .join(" ");
    else out = REDACTED;
    return `${param}${eq}${quoted ? `"${out}"` : out}`;
  });
}

/** Via: sent-protocol SP sent-by *( ;params ), comma-separated. */
function redactVia(value: string, book: PseudonymBook): string {
  return splitKeeping(value, ",")
    .map((hop) => {
      const m = /^(\s*[^\s/]+\s*\/\s*[^\s/]+\s*\/\s*\S+\s+)([^;]*)(.*)$/s.exec(hop);
      if (!m) return redactFreeText(hop, book);
      const params = itemAt(m, 3);
      return `${m[1]}${redactHostPort(itemAt(m, 2), book)}${params.startsWith(";") ? `;${redactParams(params.slice(1), book)}` : params}`;
    })
    .join(",");
}

/** Warning: warn-code SP warn-agent SP "warn-text", comma-separated. */
function redactWarning(value: string, book: PseudonymBook): string {
  return splitKeeping(value, ",")
    .map((w) => {
      const m = /^(\s*\d{3}\s+)(\S+)(.*)$/s.exec(w);
      return m ? `${m[1]}${redactHostPort(itemAt(m, 2), book)}${redactFreeText(itemAt(m, 3), book)}` : redactFreeText(w, book);
    })
    .join(",");
}

const SERIAL_KEY = /^((?:sn|s\/n|serial|mac|imei|hwid|device-?id|id)[:=#])(.+)$/i;
const MAC = /^(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^[0-9a-f]{12}$/i;

/** A word of a product token list: names and versions stay, serials and MAC addresses go. */
function redactProductWord(word: string, book: PseudonymBook): string {
  const keyed = SERIAL_KEY.exec(word);
  if (keyed) return `${keyed[1]}${book.of("id", itemAt(keyed, 2))}`;
  const slash = word.indexOf("/");
  const tail = slash === -1 ? word : word.slice(slash + 1);
  const digits = tail.match(/\d/g)?.length ?? 0;
  const serial = MAC.test(tail) || (!tail.includes(".") && (digits >= 6 || (tail.length >= 8 && digits >= 3 && /^[0-9a-f-]+$/i.test(tail))));
  if (serial) return slash === -1 ? book.of("id", word) : `${word.slice(0, slash + 1)}${book.of("id", tail)}`;
  return redactFreeText(word, book);
}

function redactProducts(value: string, book: PseudonymBook): string {
  return value.replace(/[^\s()[\],;]+/g, (word) => redactProductWord(word, book));
}

/** "identifier;params" or "name=value;…". */
function redactParameterHeader(value: string, book: PseudonymBook): string {
  const semi = value.indexOf(";");
  const first = semi === -1 ? value : value.slice(0, semi);
  const head = first.includes("=") ? redactParams(first, book) : first.replace(first.trim(), (v) => (v ? book.of("id", v) : v));
  return semi === -1 ? head : `${head};${redactParams(value.slice(semi + 1), book)}`;
}

function keepSpacing(value: string, redact: (v: string) => string): string {
  const m = present(/^(\s*)(.*?)(\s*)$/s.exec(value));
  return m[2] ? `${m[1]}${redact(m[2])}${m[3]}` : value;
}

/** The value of header `name` with every identifier replaced (the name stays as written). */
export function redactHeaderValue(name: string, value: string, book: PseudonymBook): string {
  const lower = canonicalHeaderName(name.trim()).toLowerCase();
  if (ADDRESS.has(lower))
    return splitKeeping(value, ",")
      .map((a) => redactAddress(a, book))
      .join(",");
  if (CALL_IDS.has(lower))
    return splitKeeping(value, ",")
      .map((v) => keepSpacing(v, (id) => book.of("call", id)))
      .join(",");
  if (DIALOG_REFERENCES.has(lower)) {
    const semi = value.indexOf(";");
    const id = keepSpacing(semi === -1 ? value : value.slice(0, semi), (v) => book.of("call", v));
    return semi === -1 ? id : `${id};${redactParams(value.slice(semi + 1), book)}`;
  }
  if (CREDENTIALS.has(lower)) return redactCredentials(value, book);
  if (lower === "via") return redactVia(value, book);
  if (lower === "warning") return redactWarning(value, book);
  if (PRODUCTS.has(lower)) return redactProducts(value, book);
  if (WHOLE.has(lower)) return keepSpacing(value, (v) => book.of("id", v));
  if (PARAMETERS.has(lower)) return keepSpacing(value, (v) => redactParameterHeader(v, book));
  if (MECHANICS.has(lower)) return redactFreeText(value, book);
  return keepSpacing(value, (v) => book.of("id", v));
}

/** A name-addr or URI field (a call's From/To, a message's fromUri/toUri). */
export function redactAddressValue(value: string, book: PseudonymBook): string {
  return redactAddress(value, book);
}
