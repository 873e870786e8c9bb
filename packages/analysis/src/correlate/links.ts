/** Links between legs, found by header values: each index is one pass over the legs. */
import type { CorrelationBasis } from "@siplens/contracts";
import type { LegFacts } from "./legs.js";
import { itemAt } from "../access.js";

export interface Link {
  /** Positions in the legs array. */
  a: number;
  b: number;
  basis: CorrelationBasis;
  confidence: number;
  note: string;
}

/**
 * How much each header says. X-CID names the other leg's Call-ID outright; a Session-ID is
 * meant to survive B2BUAs (RFC 7989 §6) but also survives transfers and conferences; an icid
 * is per charging session, which a forwarded call can share with the call it came from.
 */
const HEADER_CONFIDENCE: Record<Exclude<CorrelationBasis, "heuristic">, number> = {
  "x-cid": 0.95,
  "session-id": 0.9,
  icid: 0.85,
};

/**
 * One call crosses a few B2BUAs, so a value more legs than this share is a sender's constant (a
 * test tool's fixed header, a misconfigured SBC), not a call's identity: it links nothing.
 */
const MAX_LEGS_PER_KEY = 8;

/** Links every leg to the first leg seen with the same key (the others then join through it). */
function linkByKey(legs: LegFacts[], basis: Exclude<CorrelationBasis, "heuristic">, keysOf: (l: LegFacts) => string[], note: (key: string) => string): Link[] {
  const holders = new Map<string, number[]>();
  legs.forEach((leg, i) => {
    for (const key of keysOf(leg)) {
      const list = holders.get(key);
      if (!list) holders.set(key, [i]);
      else if (list.length <= MAX_LEGS_PER_KEY && list[list.length - 1] !== i) list.push(i);
    }
  });
  const out: Link[] = [];
  for (const [key, list] of holders) {
    if (list.length < 2 || list.length > MAX_LEGS_PER_KEY) continue;
    for (const i of list.slice(1)) out.push({ a: itemAt(list, 0), b: i, basis, confidence: HEADER_CONFIDENCE[basis], note: note(key) });
  }
  return out;
}

/**
 * X-CID (and kin) on leg B carries leg A's Call-ID: a leg's own Call-ID is a key as much as the
 * value it carries, so B finds A, and two legs naming the same uncaptured leg find each other.
 */
export function xCidLinks(legs: LegFacts[]): Link[] {
  return linkByKey(
    legs,
    "x-cid",
    (l) => (l.otherCallId && l.otherCallId !== l.call.callId ? [l.call.callId, l.otherCallId] : [l.call.callId]),
    (key) => `X-CID names Call-ID ${key}`,
  );
}

export function sessionIdLinks(legs: LegFacts[]): Link[] {
  return linkByKey(
    legs,
    "session-id",
    (l) => l.sessionUuids,
    (key) => `same Session-ID ${key}`,
  );
}

export function icidLinks(legs: LegFacts[]): Link[] {
  return linkByKey(
    legs,
    "icid",
    (l) => (l.icid ? [l.icid] : []),
    (key) => `same P-Charging-Vector icid-value ${key}`,
  );
}
