/** SDP lines (RFC 4566, RFC 4568 crypto, RFC 8839 ICE): who and where, and the keys, by line type. */
import { redactFreeText } from "./free-text.js";
import { REDACTED, type PseudonymBook } from "./pseudonym-book.js";
import { redactHostPort } from "./uri.js";
import { itemAt } from "../../access.js";

const UNSET = new Set(["", "-", " "]);

/** o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address> (also a summary's origin). */
export function redactSdpOrigin(value: string, book: PseudonymBook): string {
  const f = value.split(" ");
  if (f.length < 6) return redactFreeText(value, book);
  const [user, sessionId, ...rest] = f as [string, string, ...string[]];
  const address = rest.length - 1;
  rest[address] = redactHostPort(itemAt(rest, address), book);
  return [UNSET.has(user) ? user : book.of("user", user), book.of("id", sessionId), ...rest].join(" ");
}

/** c=IN IP4 <address>[/ttl[/count]] */
function redactConnection(value: string, book: PseudonymBook): string {
  const m = /^(\s*\S+\s+\S+\s+)([^/\s]+)(.*)$/s.exec(value);
  return m ? `${m[1]}${book.of("host", itemAt(m, 2))}${m[3]}` : book.of("host", value);
}

function redactAttribute(value: string, book: PseudonymBook): string {
  const colon = value.indexOf(":");
  const name = (colon === -1 ? value : value.slice(0, colon)).toLowerCase();
  const v = colon === -1 ? "" : value.slice(colon + 1);
  switch (name) {
    case "crypto":
      return `${value.slice(0, colon + 1)}${v.replace(/inline:[^\s|]+/gi, `inline:${REDACTED}`)}`;
    case "ice-ufrag":
    case "ice-pwd":
      return `${name}:${REDACTED}`;
    case "fingerprint": {
      const space = v.indexOf(" ");
      return space === -1 ? value : `${value.slice(0, colon + 1 + space + 1)}${book.of("id", v.slice(space + 1))}`;
    }
    case "ssrc":
      return value.replace(/\bcname:(\S+)/i, (_m, cname: string) => `cname:${book.of("id", cname)}`);
    default:
      return redactFreeText(value, book);
  }
}

/** One "x=value" line of an SDP body, or the value of a summary's origin/connection. */
export function redactSdpLine(line: string, book: PseudonymBook): string {
  const type = line[0];
  const value = line.slice(2);
  switch (type) {
    case "o":
      return `o=${redactSdpOrigin(value, book)}`;
    case "c":
      return `c=${redactConnection(value, book)}`;
    case "s":
    case "i":
    case "u":
    case "e":
    case "p":
      return UNSET.has(value) ? line : `${type}=${book.of("id", value)}`;
    case "k": {
      const colon = value.indexOf(":");
      return colon === -1 ? line : `k=${value.slice(0, colon + 1)}${REDACTED}`;
    }
    case "a":
      return `a=${redactAttribute(value, book)}`;
    default:
      return `${type}=${redactFreeText(value, book)}`;
  }
}
