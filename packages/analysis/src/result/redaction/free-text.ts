/**
 * Text with no SIP grammar of its own (finding titles and explanations, notes, problems, titles,
 * warn-text): the values the part's grammar already met are replaced wherever they stand, and
 * what still has the shape of an identifier (a URI, user@host, an address, a domain) is redacted
 * by its own grammar. Section numbers ("RFC 3261 §17.1.1.3"), status codes, methods, timer names
 * and durations are not identifiers and stay.
 */
import type { PseudonymBook } from "./pseudonym-book.js";
import { isIpv6, redactSipUriBody, redactUri } from "./uri.js";

const URI_IN_TEXT = /\b(?:sips?|tel|mailto|https?):[^\s<>"',]+/gi;
// Starts at the start of a run (never inside a URI's ";rn=…" that redactUri already rewrote).
const USER_AT_HOST = /(?<![\w@.:\-+;=%!~*'])[\w+\-.;=%!~*']+@(?:\[[0-9a-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)/gi;
// Not after "§", "RFC 3261 " or "section ": those dotted numbers are section numbers.
const IPV4 = /(?<![\w.§])(?<!§\s)(?<!RFC\s?\d{1,5}\s)(?<!section\s)(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?!\w|\.\d)/gi;
// IPv6: needs "::" or at least five colons so clock times (12:30:45) never match.
const IPV6 = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
// Domains by their top-level label, so file names ("trace.pcapng") and versions stay.
const DOMAIN =
  /(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|info|biz|io|eu|de|uk|fr|it|nl|es|ch|at|be|se|no|dk|fi|pl|cz|ru|br|in|jp|cn|us|ca|au|local|lan|corp|internal|home|example|invalid|test|localdomain|arpa)(?![\w-]|\.\w)/gi;
const TOKEN = /[\w+\-.]+/g;
// What our own notes name after a header's name ("X-CID names Call-ID …", "same Session-ID …").
const LABELLED = /\b(Call-ID|Session-ID|icid-value)([ \t]+)([^\s,;]+)/g;
const TRAILING_PUNCTUATION = /[.)]+$/;

function redactUrisIn(text: string, book: PseudonymBook): string {
  return text.replace(URI_IN_TEXT, (uri) => {
    // A sentence's full stop or closing parenthesis is not part of the URI.
    const tail = TRAILING_PUNCTUATION.exec(uri)?.[0] ?? "";
    return redactUri(uri.slice(0, uri.length - tail.length), book) + tail;
  });
}

export function redactFreeText(text: string, book: PseudonymBook): string {
  // Values that span several tokens ("Alice Smith", a Call-ID with '@') are replaced whole,
  // before the passes below could leave parts of them behind.
  let out = book.replaceMultiToken(text);
  out = out.replace(LABELLED, (_m, label: string, space: string, value: string) => `${label}${space}${book.of(label === "Call-ID" ? "call" : "id", value)}`);
  out = redactUrisIn(out, book);
  out = out.replace(USER_AT_HOST, (v) => redactSipUriBody(v, book));
  out = out.replace(IPV6, (v) => (isIpv6(v) ? book.of("host", v) : v));
  out = out.replace(IPV4, (v) => book.of("host", v));
  out = out.replace(DOMAIN, (v) => book.of("host", v));
  return out.replace(TOKEN, (token) => {
    const direct = book.known(token);
    if (direct) return direct;
    // A token may carry sentence dots ("from pbx01.").
    const trimmed = token.replace(/\.+$/, "");
    const p = trimmed !== token ? book.known(trimmed) : undefined;
    return p ? p + token.slice(trimmed.length) : token;
  });
}
