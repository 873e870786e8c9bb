/**
 * Pseudonyms for a shared analysis: every IP address and host name becomes a "host-…", every URI
 * user part (phone number, account name) a "user-…", every display name (quoted or not) a
 * "name-…"; digest credentials (username, realm, nonce, response…) are blanked, because a nonce
 * and response together allow an offline guess of the SIP password. The pseudonym of a value
 * comes from an injected function (the API: a keyed HMAC per share), so the same value gets the
 * same pseudonym in every part of the analysis (overview, calls, messages, findings), in every
 * request, without a pass over the whole result: raw text, headers, URIs, lanes, Call-IDs and
 * finding texts alike, so the ladder and the diagnosis still read correctly.
 *
 * Per part, two passes: discover the sensitive values where SIP puts them (addresses, URIs, Via
 * sent-by, display names), then rewrite every string of the part by token lookup (linear in its size).
 */
import type { AnalysisResult } from "@siplens/contracts";

const IPV4 = /(?<![\w.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\w]|\.\d)/g;
// IPv6: needs "::" or at least five colons so clock times (12:30:45) never match.
const IPV6 = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
const URI_USER = /\b(?:sips?|tel):([^@;>\s:"',?]+)@/gi;
const TEL_URI = /\btel:(\+?[\d\-.()]+)/gi;
const URI_HOST = /\bsips?:(?:[^@;>\s"',]+@)?(\[[^\]]+\]|[A-Za-z0-9.\-]+)/gi;
const VIA_HOST = /SIP\/2\.0\/[A-Z]+\s+(\[[^\]]+\]|[A-Za-z0-9.\-]+)/gi;
const DISPLAY_NAME = /"((?:[^"\\]|\\.){1,128})"\s*</g;
// RFC 3261 also allows an unquoted display name (a run of tokens) before <URI>.
const BARE_DISPLAY_NAME = /(?:^|[:,])[ \t]*([A-Za-z0-9][\w.!%*+`'~\- ]{0,127}?)[ \t]*<(?:sips?|tel):/gm;
const DIGEST_PARAM = /\b(username|realm|nonce|cnonce|response|opaque)(\s*=\s*)"[^"\r\n]*"/gi;
const TOKEN = /[\w+\-.]+/g;

export type PseudonymKind = "host" | "user" | "name";
/** Gives the pseudonym of a sensitive value: deterministic per value, e.g. "host-" + a keyed hash. */
export type PseudonymOf = (kind: PseudonymKind, value: string) => string;

class Pseudonyms {
  private readonly map = new Map<string, string>();
  private multiTokenPattern: RegExp | null | undefined;

  constructor(private readonly pseudonymOf: PseudonymOf) {}

  add(value: string, kind: PseudonymKind): void {
    const v = value.trim();
    if (v.length === 0 || this.map.has(v) || isPseudonym(v)) return;
    if (kind === "user" && v.length < 3 && !/^\d+$/.test(v)) return;
    this.map.set(v, this.pseudonymOf(kind, v));
    this.multiTokenPattern = undefined;
  }

  get(value: string): string | undefined {
    return this.map.get(value);
  }

  get size(): number {
    return this.map.size;
  }

  /** One alternation of every value that is not a single token, longest first; null when none. */
  get multiToken(): RegExp | null {
    if (this.multiTokenPattern !== undefined) return this.multiTokenPattern;
    const values = [...this.map.keys()].filter((v) => !/^[\w+\-.]+$/.test(v)).sort((a, b) => b.length - a.length);
    this.multiTokenPattern = values.length ? new RegExp(values.map(escapeRegExp).join("|"), "g") : null;
    return this.multiTokenPattern;
  }
}

function escapeRegExp(v: string): string {
  return v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isPseudonym(v: string): boolean {
  return /^(host|user|name)-[a-z0-9]{1,16}$/.test(v);
}

function isIpv6(v: string): boolean {
  return v.includes("::") || (v.match(/:/g)?.length ?? 0) >= 5;
}

function stripBrackets(h: string): string {
  return h.startsWith("[") ? h.slice(1, -1) : h;
}

function discover(text: string, names: Pseudonyms): void {
  for (const m of text.matchAll(IPV4)) names.add(m[0], "host");
  for (const m of text.matchAll(IPV6)) if (isIpv6(m[0])) names.add(m[0].toLowerCase(), "host");
  for (const m of text.matchAll(URI_USER)) names.add(m[1]!, "user");
  for (const m of text.matchAll(TEL_URI)) names.add(m[1]!, "user");
  for (const m of text.matchAll(URI_HOST)) names.add(stripBrackets(m[1]!), "host");
  for (const m of text.matchAll(VIA_HOST)) names.add(stripBrackets(m[1]!), "host");
  for (const m of text.matchAll(DISPLAY_NAME)) names.add(m[1]!, "name");
  for (const m of text.matchAll(BARE_DISPLAY_NAME)) if (!/^(?:sips?|tel)$/i.test(m[1]!.trim())) names.add(m[1]!, "name");
}

function rewrite(text: string, names: Pseudonyms): string {
  let out = text.replace(DISPLAY_NAME, (whole, name: string) => {
    const p = names.get(name);
    return p ? whole.replace(name, p) : whole;
  });
  out = out.replace(DIGEST_PARAM, (_whole, param: string, eq: string) => `${param}${eq}"redacted"`);
  // Values that span several tokens ("Alice Smith", "+1 (555) 987-6543") are replaced whole,
  // before the token pass could leave parts of them behind.
  if (names.multiToken) out = out.replace(names.multiToken, (v) => names.get(v.trim()) ?? v);
  out = out.replace(IPV6, (v) => (isIpv6(v) ? (names.get(v.toLowerCase()) ?? v) : v));
  return out.replace(TOKEN, (token) => {
    const direct = names.get(token);
    if (direct) return direct;
    // A token may carry sentence dots ("from 10.0.0.1.") or a leading "+".
    const trimmed = token.replace(/\.+$/, "");
    if (trimmed !== token) {
      const p = names.get(trimmed);
      if (p) return p + token.slice(trimmed.length);
    }
    return token;
  });
}

function walk(value: unknown, visit: (s: string) => string): unknown {
  if (typeof value === "string") return visit(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, visit));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, visit);
    return out;
  }
  return value;
}

/** Pseudonymises parts of one analysis; every part and text it is given uses the same pseudonyms. */
export interface PartRedactor {
  /** Notes the sensitive values of texts (e.g. lane ids) without rewriting anything. */
  discover(...texts: string[]): void;
  /** A copy of a JSON part (overview, call row or detail, message, finding…) with every string rewritten. */
  part<T>(value: T): T;
  /** Rewrites one text about the same trace (a title, a note): values it names itself are hidden too. */
  text(value: string): string;
}

/** A part redactor whose pseudonyms come from `pseudonymOf` (pure: no state beyond the values seen). */
export function createPartRedactor(pseudonymOf: PseudonymOf): PartRedactor {
  const names = new Pseudonyms(pseudonymOf);
  return {
    discover(...texts) {
      for (const t of texts) discover(t, names);
    },
    part<T>(value: T): T {
      walk(value, (s) => {
        discover(s, names);
        return s;
      });
      return (names.size === 0 ? structuredCloneJson(value) : walk(value, (s) => rewrite(s, names))) as T;
    },
    text(value) {
      discover(value, names);
      return rewrite(value, names);
    },
  };
}

/** Pseudonyms numbered per kind in order of discovery ("host-1", "host-2" …): for a whole result. */
export function sequentialPseudonyms(): PseudonymOf {
  const counters: Record<PseudonymKind, number> = { host: 0, user: 0, name: 0 };
  return (kind) => `${kind}-${++counters[kind]}`;
}

export interface Redaction {
  result: AnalysisResult;
  /** Rewrites any other text about the same trace (a title, a note) with the same pseudonyms. */
  text(value: string): string;
}

/** Pseudonymise a whole result (small traces, the CLI) and keep its pseudonyms for texts that travel with it (pure). */
export function createRedaction(result: AnalysisResult, pseudonymOf: PseudonymOf = sequentialPseudonyms()): Redaction {
  const redactor = createPartRedactor(pseudonymOf);
  // Lanes first, so host-1, host-2 … read left to right on the ladder.
  redactor.discover(...result.lanes.map((lane) => lane.id));
  return { result: redactor.part(result), text: (value) => redactor.text(value) };
}

/** Pseudonymise numbers/user parts, IPs and host names consistently in a result (pure; the input is not changed). */
export function redactResult(result: AnalysisResult): AnalysisResult {
  return createRedaction(result).result;
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
