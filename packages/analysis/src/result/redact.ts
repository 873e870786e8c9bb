/**
 * Consistent pseudonyms for a shared result: every IP address and host name becomes "host-N",
 * every URI user part (phone number, account name) "user-N", every display name (quoted or
 * not) "name-N"; digest credentials (username, realm, nonce, response…) are blanked, because a
 * nonce and response together allow an offline guess of the SIP password. The same value always
 * gets the same pseudonym, in raw text, headers, URIs, lanes, Call-IDs and finding texts alike,
 * so the ladder and the diagnosis still read correctly.
 *
 * Two passes: discover the sensitive values where SIP puts them (addresses, URIs, Via sent-by,
 * display names), then rewrite every string of the result by token lookup (linear in its size).
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

type Kind = "host" | "user" | "name";

class Pseudonyms {
  private readonly map = new Map<string, string>();
  private readonly counters: Record<Kind, number> = { host: 0, user: 0, name: 0 };
  private multiTokenPattern: RegExp | null | undefined;

  add(value: string, kind: Kind): void {
    const v = value.trim();
    if (v.length === 0 || this.map.has(v) || isPseudonym(v)) return;
    if (kind === "user" && v.length < 3 && !/^\d+$/.test(v)) return;
    this.map.set(v, `${kind}-${++this.counters[kind]}`);
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
  return /^(host|user|name)-\d+$/.test(v);
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

export interface Redaction {
  result: AnalysisResult;
  /** Rewrites any other text about the same trace (a title, a note) with the same pseudonyms. */
  text(value: string): string;
}

/** Pseudonymise a result and keep its pseudonym map for texts that travel with it (pure). */
export function createRedaction(result: AnalysisResult): Redaction {
  const names = new Pseudonyms();
  // Lanes first, so host-1, host-2 … read left to right on the ladder.
  for (const lane of result.lanes) discover(lane.id, names);
  walk(result, (s) => {
    discover(s, names);
    return s;
  });
  const redacted = names.size === 0 ? structuredCloneJson(result) : (walk(result, (s) => rewrite(s, names)) as AnalysisResult);
  // A later text may name values the trace does not (a number typed into a title): hide those too.
  const text = (value: string): string => {
    discover(value, names);
    return rewrite(value, names);
  };
  return { result: redacted, text };
}

/** Pseudonymise numbers/user parts, IPs and host names consistently in a result (pure; the input is not changed). */
export function redactResult(result: AnalysisResult): AnalysisResult {
  return createRedaction(result).result;
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
