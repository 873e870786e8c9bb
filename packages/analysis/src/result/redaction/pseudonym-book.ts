/**
 * The pseudonyms of one redaction: where the SIP grammar puts an identifier the redactor asks
 * `of(kind, value)`; the values met that way are also looked up in free text (finding
 * explanations, notes, titles) of the same part, which has no grammar of its own.
 */

/** host: addresses and domains; user: URI user parts, numbers; name: display names; call: Call-IDs; id: any other identifier. */
export type PseudonymKind = "host" | "user" | "name" | "call" | "id";
/** Gives the pseudonym of a sensitive value: deterministic per value, e.g. "host-" + a keyed hash. */
export type PseudonymOf = (kind: PseudonymKind, value: string) => string;

/** What stands in for a secret (digest nonce/response, SDP keys): nothing of it is worth following. */
export const REDACTED = "redacted";

const PSEUDONYM = /^(?:host|user|name|call|id)-[a-z0-9]{1,16}$/;
const METHODS = new Set([
  "INVITE",
  "ACK",
  "BYE",
  "CANCEL",
  "REGISTER",
  "OPTIONS",
  "PRACK",
  "SUBSCRIBE",
  "NOTIFY",
  "PUBLISH",
  "INFO",
  "REFER",
  "MESSAGE",
  "UPDATE",
]);
const MAX_LOOKUP_LENGTH = 256;
const SINGLE_TOKEN = /^[\w+\-.]+$/;
const TOKEN_OR_CHAR = /[\w+\-.]+|[^\w+\-.]/g;
const LEADING_TOKEN = /^[\w+\-.]+/;

function isPseudonym(value: string): boolean {
  return PSEUDONYM.test(value);
}

/**
 * Whether free text may have a value replaced wherever it stands: a status code ("180"), a method
 * or a one-letter user would rewrite text that is not about it.
 */
function worthLookingUp(value: string): boolean {
  // A value longer than any identifier is a mangled field: looked up, it would only cost time.
  if (value.length < 3 || value.length > MAX_LOOKUP_LENGTH || /^\d{1,3}$/.test(value)) return false;
  return !METHODS.has(value.toUpperCase()) && value !== REDACTED;
}

export class PseudonymBook {
  private readonly byKind = new Map<string, string>();
  private readonly lookup = new Map<string, string>();
  /** Known values of several tokens ("Alice Smith", "a84b4c76e66710@pc33") by their first token, longest first. */
  private readonly byFirst = new Map<string, string[]>();

  constructor(private readonly pseudonymOf: PseudonymOf) {}

  /** The pseudonym of `value` as a `kind` (hosts fold case); a value that is already a pseudonym stays. */
  of(kind: PseudonymKind, value: string): string {
    const trimmed = value.trim();
    if (trimmed.length === 0 || isPseudonym(trimmed) || trimmed === REDACTED) return value;
    const v = kind === "host" ? trimmed.toLowerCase() : trimmed;
    const key = `${kind}\0${v}`;
    let p = this.byKind.get(key);
    if (p === undefined) {
      p = this.pseudonymOf(kind, v);
      this.byKind.set(key, p);
      if (worthLookingUp(v) && !this.lookup.has(v)) {
        this.lookup.set(v, p);
        if (trimmed !== v) this.lookup.set(trimmed, p);
        if (!SINGLE_TOKEN.test(v)) this.indexMultiToken(v);
      }
    }
    return p;
  }

  /** The pseudonym of a value met before in this part (free-text lookup), if any. */
  known(value: string): string | undefined {
    return this.lookup.get(value) ?? this.lookup.get(value.toLowerCase());
  }

  private indexMultiToken(v: string): void {
    // Values starting with a token run are found by that run, any other by its first character.
    const first = LEADING_TOKEN.exec(v)?.[0] ?? v.charAt(0);
    const list = this.byFirst.get(first);
    if (!list) this.byFirst.set(first, [v]);
    else {
      // Longest first, so "Alice Smith Jr" wins over "Alice Smith".
      const at = list.findIndex((w) => w.length < v.length);
      list.splice(at === -1 ? list.length : at, 0, v);
    }
  }

  /**
   * `text` with every known value of several tokens replaced whole, found by its first token
   * (one pass over the text, however many values are known).
   */
  replaceMultiToken(text: string): string {
    if (this.byFirst.size === 0) return text;
    const pieces: string[] = [];
    let last = 0;
    for (const m of text.matchAll(TOKEN_OR_CHAR)) {
      if (m.index < last) continue;
      const value = this.byFirst.get(m[0])?.find((v) => text.startsWith(v, m.index));
      const pseudonym = value === undefined ? undefined : this.lookup.get(value);
      if (value === undefined || pseudonym === undefined) continue;
      pieces.push(text.slice(last, m.index), pseudonym);
      last = m.index + value.length;
    }
    return last === 0 ? text : pieces.join("") + text.slice(last);
  }
}
