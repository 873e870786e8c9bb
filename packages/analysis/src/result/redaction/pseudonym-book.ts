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
const METHODS = new Set(["INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"]);
const SINGLE_TOKEN = /^[\w+\-.]+$/;

export function isPseudonym(value: string): boolean {
  return PSEUDONYM.test(value);
}

/**
 * Whether free text may have a value replaced wherever it stands: a status code ("180"), a method
 * or a one-letter user would rewrite text that is not about it.
 */
function worthLookingUp(value: string): boolean {
  if (value.length < 3 || /^\d{1,3}$/.test(value)) return false;
  return !METHODS.has(value.toUpperCase()) && value !== REDACTED;
}

function escapeRegExp(v: string): string {
  return v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class PseudonymBook {
  private readonly byKind = new Map<string, string>();
  private readonly lookup = new Map<string, string>();
  private multiTokenPattern: RegExp | null | undefined;

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
        if (!SINGLE_TOKEN.test(v)) this.multiTokenPattern = undefined;
      }
    }
    return p;
  }

  /** The pseudonym of a value met before in this part (free-text lookup), if any. */
  known(value: string): string | undefined {
    return this.lookup.get(value) ?? this.lookup.get(value.toLowerCase());
  }

  /** One alternation of every known value that is not a single token, longest first; null when none. */
  get multiToken(): RegExp | null {
    if (this.multiTokenPattern !== undefined) return this.multiTokenPattern;
    const values = [...this.lookup.keys()].filter((v) => !SINGLE_TOKEN.test(v)).sort((a, b) => b.length - a.length);
    this.multiTokenPattern = values.length ? new RegExp(values.map(escapeRegExp).join("|"), "g") : null;
    return this.multiTokenPattern;
  }
}
