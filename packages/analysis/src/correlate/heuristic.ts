/**
 * Legs no header ties together: leg B is taken for the outgoing side of leg A when B's INVITE
 * leaves the element where A's INVITE ended (the B2BUA), while A was still waiting for its final
 * response and within a few seconds of it, for the same From or To number. Candidates are indexed
 * by (element, number), so each leg looks only at the few that share both, inside the window.
 * A call forward (the B2BUA calls on as the number that was called: A's To is B's From) counts,
 * weaker than a kept number.
 * In one element's own log (no addresses) that element is on both legs by construction.
 */
import type { LegFacts } from "./legs.js";
import type { Link } from "./links.js";
import { itemAt } from "../access.js";

/** A B2BUA opens its outgoing leg within milliseconds; dial plans with a pause, in seconds. */
const HEURISTIC_WINDOW_S = 10;
/** Other incoming legs with the same numbers open at that moment (a load test): the nearest is only likelier. */
const RIVAL_PENALTY = 0.2;

type Side = "from" | "to";

interface Candidate {
  at: number;
  leg: LegFacts;
}

/** The first number key both lists hold (the whole user, or a digit run of it). */
const shared = (a: string[], b: string[]) => a.find((k) => b.includes(k));

function keyOf(host: string, side: Side, number: string): string {
  return `${host}\u0000${side}\u0000${number}`;
}

function gapText(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(1)} s`;
}

interface Score {
  confidence: number;
  gap: number | null;
  /** The From / To number both legs carry, when they do. */
  from?: string;
  to?: string;
  /** A's To number as B's From: forwarded on behalf of the called party. */
  forwarded?: string;
  /** Other candidates as good on numbers (the nearest in time was taken). */
  rivals?: number;
}

/** Scores a candidate A for leg B; undefined when it cannot be B's incoming side. */
function score(a: LegFacts, b: LegFacts, oneSided: boolean): Score | undefined {
  if (a.root.requestIndex >= b.root.requestIndex || a.origin === b.origin) return undefined;
  // B opened while A was still pending (a B2BUA ends A after, or because of, B)
  if (a.root.finalIndex !== undefined && a.root.finalIndex < b.root.requestIndex) return undefined;
  const gap = a.root.startTime != null && b.root.startTime != null ? b.root.startTime - a.root.startTime : null;
  if (gap !== null && gap > HEURISTIC_WINDOW_S) return undefined;
  const from = shared(a.fromKeys, b.fromKeys);
  const to = shared(a.toKeys, b.toKeys);
  const forwarded = from === undefined && to === undefined ? shared(a.toKeys, b.fromKeys) : undefined;
  if (from === undefined && to === undefined && forwarded === undefined) return undefined;
  // one number kept (the B2BUA rewrote the other, e.g. a dialled extension to a device name)
  let confidence = from !== undefined && to !== undefined ? 0.75 : forwarded !== undefined ? 0.5 : 0.6;
  if (gap === null || gap > 1) confidence -= 0.1;
  if (oneSided) confidence -= 0.1;
  return { confidence, gap, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(forwarded !== undefined ? { forwarded } : {}) };
}

function better(s: Score, best: Score | undefined): boolean {
  return !best || s.confidence > best.confidence || (s.confidence === best.confidence && (s.gap ?? Infinity) < (best.gap ?? Infinity));
}

/** Heuristic links for the legs `open` accepts (those no header linked); each leg B gets at most one A. */
export function heuristicLinks(legs: LegFacts[], open: (i: number) => boolean, oneSided: boolean): Link[] {
  const order = legs.map((_, i) => i).sort((x, y) => itemAt(legs, x).root.requestIndex - itemAt(legs, y).root.requestIndex);
  const byKey = new Map<string, Candidate[]>();
  const out: Link[] = [];
  // which leg B last looked at a candidate (a candidate is listed under several keys)
  const seenBy = new Int32Array(legs.length).fill(-1);
  for (const i of order) {
    // a leg a header already linked is neither side of a guess
    if (!open(i)) continue;
    const b = itemAt(legs, i);
    let best: (Score & { a: number }) | undefined;
    let rivals = 0;
    for (const [side, keys] of [
      ["from", b.fromKeys],
      ["to", b.toKeys],
      ["to", b.fromKeys],
    ] as const) {
      for (const key of keys) {
        const list = byKey.get(keyOf(oneSided ? "*" : b.origin, side, key));
        if (!list) continue;
        // newest first: stop once past the window
        for (let k = list.length - 1; k >= 0; k--) {
          const c = itemAt(list, k);
          if (c.leg.root.startTime != null && b.root.startTime != null && b.root.startTime - c.leg.root.startTime > HEURISTIC_WINDOW_S) break;
          // legs come in request order: one that had its final before this INVITE is done for every later leg too
          // (without times this is what keeps the lists short)
          if (c.leg.root.finalIndex !== undefined && c.leg.root.finalIndex < b.root.requestIndex) {
            list.splice(k, 1);
            continue;
          }
          if (seenBy[c.at] === i) continue;
          seenBy[c.at] = i;
          const s = score(c.leg, b, oneSided);
          if (!s) continue;
          // as good as the best on numbers: only the time gap tells them apart
          if (best && s.confidence === best.confidence) rivals++;
          else if (!best || s.confidence > best.confidence) rivals = 0;
          if (better(s, best)) best = { ...s, a: c.at };
        }
      }
    }
    if (best) out.push(linkOf(itemAt(legs, best.a), b, i, rivals ? { ...best, confidence: Math.max(0.3, best.confidence - RIVAL_PENALTY), rivals } : best));
    for (const host of oneSided ? ["*"] : b.ends) {
      for (const key of b.fromKeys) push(byKey, keyOf(host, "from", key), { at: i, leg: b });
      for (const key of b.toKeys) push(byKey, keyOf(host, "to", key), { at: i, leg: b });
    }
  }
  return out;
}

function linkOf(a: LegFacts, b: LegFacts, bAt: number, s: Score & { a: number }): Link {
  const kept = [s.from !== undefined ? `From ${s.from}` : "", s.to !== undefined ? `To ${s.to}` : ""].filter(Boolean).join(", ");
  const numbers = kept ? `same ${kept}` : `forwarded: ${s.forwarded}, called on the first leg, calls from this one`;
  const later = (s.gap !== null ? ` ${gapText(s.gap)} later` : " later") + (s.rivals ? ` (the nearest of ${s.rivals + 1} legs with these numbers)` : "");
  return {
    a: s.a,
    b: bAt,
    basis: "heuristic",
    confidence: Math.round(s.confidence * 100) / 100,
    note: `heuristic: ${numbers}; ${b.origin} received ${a.call.callId}'s INVITE and sent this one${later}`,
  };
}

function push(map: Map<string, Candidate[]>, key: string, c: Candidate): void {
  const list = map.get(key);
  if (list) list.push(c);
  else map.set(key, [c]);
}
