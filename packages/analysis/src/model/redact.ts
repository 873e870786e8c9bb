/**
 * Consistent pseudonyms for a shared result: every IP address and host name becomes "host-N",
 * every URI user part (phone number, account name) "user-N", every quoted display name
 * "name-N". The same value always gets the same pseudonym, in raw text, headers, URIs, lanes,
 * Call-IDs and finding texts alike, so the ladder and the diagnosis still read correctly.
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
const TOKEN = /[\w+\-.]+/g;

type Kind = "host" | "user" | "name";

class Pseudonyms {
  private readonly map = new Map<string, string>();
  private readonly counters: Record<Kind, number> = { host: 0, user: 0, name: 0 };

  add(value: string, kind: Kind): void {
    const v = value.trim();
    if (v.length === 0 || this.map.has(v) || isPseudonym(v)) return;
    if (kind === "user" && v.length < 3 && !/^\d+$/.test(v)) return;
    this.map.set(v, `${kind}-${++this.counters[kind]}`);
  }

  get(value: string): string | undefined {
    return this.map.get(value);
  }

  get size(): number {
    return this.map.size;
  }
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
}

function rewrite(text: string, names: Pseudonyms): string {
  let out = text.replace(DISPLAY_NAME, (whole, name: string) => {
    const p = names.get(name);
    return p ? whole.replace(name, p) : whole;
  });
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

/** Pseudonymise numbers/user parts, IPs and host names consistently in a result (pure; the input is not changed). */
export function redactResult(result: AnalysisResult): AnalysisResult {
  const names = new Pseudonyms();
  // Lanes first, so host-1, host-2 … read left to right on the ladder.
  for (const lane of result.ladder.lanes) discover(lane.id, names);
  walk(result, (s) => {
    discover(s, names);
    return s;
  });
  if (names.size === 0) return structuredCloneJson(result);
  return walk(result, (s) => rewrite(s, names)) as AnalysisResult;
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
