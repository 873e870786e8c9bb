import type { FindingCode } from "@siplens/contracts";
import type { Draft, DraftOf } from "./facts.js";
import { plural, seconds } from "./text.js";
import { matchKnownTimer, unmatchedTimersText } from "./timers.js";
import { itemAt, listIn, present } from "../access.js";

/** What the trace-wide patterns need to know about one call. */
export interface CallSummary {
  callId: string;
  startTime: number | null;
  /** user@host of the caller's Request-URI. */
  destination?: string;
  /** The INVITE ended unanswered with a 487 somewhere in its path. */
  ended487: boolean;
  /** Cause codes found on the call. */
  codes: FindingCode[];
  /** Host that decided the first CANCEL, and whether it was a proxy acting on its own. */
  cancelOriginHost?: string;
  cancelByProxy?: boolean;
  /** INVITE→CANCEL (or INVITE→487 without CANCEL) on the leg where the decision was taken. */
  interval?: { ms: number; host: string; index: number; kind: "cancel" | "487" };
}

const ABNORMAL: FindingCode[] = ["proxy-timeout", "no-winner", "487-without-cancel", "missing-ack"];
const MIN_CALLS = 3;

/** The deciding message of each call (its CANCEL, or its 487), capped: a pattern over 10 000 calls names a sample. */
function indicesOf(calls: CallSummary[]): number[] {
  const out: number[] = [];
  for (const c of calls) if (c.interval && out.length < 200) out.push(c.interval.index);
  return out.sort((a, b) => a - b);
}

function isAbnormal(s: CallSummary): boolean {
  return s.codes.some((c) => ABNORMAL.includes(c));
}

function dominantCause(calls: CallSummary[]): string {
  const n = new Map<string, number>();
  for (const c of calls) for (const code of c.codes) n.set(code, (n.get(code) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "unknown";
}

function share(a: number, b: number): number {
  return b ? Math.round((a / b) * 1000) / 1000 : 0;
}

function byDestination(calls: CallSummary[], overall: number): Draft[] {
  const groups = new Map<string, CallSummary[]>();
  for (const c of calls) if (c.destination) listIn(groups, c.destination).push(c);
  const out: Draft[] = [];
  const table = [...groups].map(([dest, g]) => ({ destination: dest, invites: g.length, ended487: g.filter((c) => c.ended487).length }));
  for (const [dest, g] of groups) {
    const hit = g.filter((c) => c.ended487);
    const s = share(hit.length, g.length);
    const abnormal = hit.filter(isAbnormal).length >= hit.length / 2;
    if (hit.length < MIN_CALLS || s < 0.5 || (!abnormal && s < overall * 1.5)) continue;
    const cause = dominantCause(hit);
    out.push({
      code: "cluster-487",
      severity: abnormal ? "warning" : "info",
      title: `${Math.round(s * 100)}% of calls to ${dest} end in 487 (${hit.length} of ${g.length})`,
      explanation: `${plural(hit.length, "call")} to ${dest} ended unanswered with a 487, mostly ${cause}${s === overall ? "" : `, against ${Math.round(overall * 100)}% across the whole trace`}. ${abnormal ? "The network, not the callers, is ending these calls: check the route and timers towards that destination." : "Callers give up on this destination: check it is reachable and answers in time."}`,
      evidence: indicesOf(hit),
      rfc: [],
      confidence: abnormal ? 0.85 : 0.7,
      callIds: hit.map((c) => c.callId),
      details: {
        dimension: "destination",
        destination: dest,
        invites: g.length,
        ended487: hit.length,
        share: s,
        overallShare: overall,
        dominantCause: cause,
        table,
      },
    });
  }
  return out;
}

function byCancelHost(calls: CallSummary[]): Draft[] {
  const groups = new Map<string, CallSummary[]>();
  for (const c of calls) if (c.cancelByProxy && c.cancelOriginHost) listIn(groups, c.cancelOriginHost).push(c);
  const out: Draft[] = [];
  for (const [host, g] of groups) {
    if (g.length < MIN_CALLS) continue;
    const dests = [...new Set(g.flatMap((c) => c.destination ?? []))];
    out.push({
      code: "cluster-487",
      severity: "warning",
      title: `${host} cancelled ${plural(g.length, "call")} on its own`,
      explanation: `${host} sent the CANCEL itself, with no CANCEL from upstream, on ${plural(g.length, "call")}${dests.length <= 3 ? ` to ${dests.join(", ")}` : ` to ${dests.length} destinations`}. A proxy cancelling by itself is a timer or a policy: check its INVITE timers and routing for these destinations.`,
      evidence: indicesOf(g),
      rfc: ["RFC 3261 §16.6", "RFC 3261 §16.8"],
      confidence: 0.85,
      callIds: g.map((c) => c.callId),
      details: { dimension: "cancel-origin-host", host, calls: g.length, destinations: dests.slice(0, 20) },
    });
  }
  return out;
}

/** Shortest time window holding 80 % of the given calls, when it is a small part of the trace. */
function byTimeWindow(all: CallSummary[], hits: CallSummary[], label: string, abnormal: boolean): Draft | undefined {
  const times = hits
    .map((c) => c.startTime)
    .filter((t): t is number => t != null)
    .sort((a, b) => a - b);
  const allTimes = all.map((c) => c.startTime).filter((t): t is number => t != null);
  if (times.length < MIN_CALLS || allTimes.length < 2) return undefined;
  const span = Math.max(...allTimes) - Math.min(...allTimes);
  if (span <= 0) return undefined;
  const need = Math.ceil(times.length * 0.8);
  let best = { lo: 0, hi: need - 1 };
  for (let i = 0; i + need - 1 < times.length; i++)
    if (itemAt(times, i + need - 1) - itemAt(times, i) < itemAt(times, best.hi) - itemAt(times, best.lo)) best = { lo: i, hi: i + need - 1 };
  const from = itemAt(times, best.lo);
  const to = itemAt(times, best.hi);
  if (to - from > span * 0.5) return undefined;
  const inWindow = all.filter((c) => c.startTime != null && c.startTime >= from && c.startTime <= to);
  const inHits = hits.filter((c) => c.startTime != null && c.startTime >= from && c.startTime <= to);
  const outside = all.length - inWindow.length;
  const outsideHits = hits.length - inHits.length;
  const t0 = Math.min(...allTimes);
  return {
    code: "cluster-487",
    severity: abnormal ? "warning" : "info",
    title: `${label} concentrated in ${seconds((to - from) * 1000)} of a ${seconds(span * 1000)} trace`,
    explanation: `${plural(inHits.length, "call")} of the ${hits.length} ${label.toLowerCase()} started between +${seconds((from - t0) * 1000)} and +${seconds((to - t0) * 1000)}, where ${Math.round(share(inHits.length, inWindow.length) * 100)}% of INVITEs were hit against ${Math.round(share(outsideHits, outside) * 100)}% outside. Something changed in that window: look at what the network and the proxy logs show for it.`,
    evidence: indicesOf(inHits),
    rfc: [],
    confidence: 0.75,
    callIds: inHits.map((c) => c.callId),
    details: {
      dimension: "time-window",
      fromTime: from,
      toTime: to,
      fromOffsetS: from - t0,
      toOffsetS: to - t0,
      invitesInWindow: inWindow.length,
      hitsInWindow: inHits.length,
      shareInWindow: share(inHits.length, inWindow.length),
      shareOutside: share(outsideHits, outside),
    },
  };
}

interface Peak {
  valueMs: number;
  loMs: number;
  hiMs: number;
  members: CallSummary[];
}

function peakWidth(ms: number): number {
  return Math.max(100, ms * 0.01);
}

function coreWidth(ms: number): number {
  return Math.max(30, ms * 0.002);
}

/** A sharp peak in a set of intervals: many values within a timer's jitter of one another. */
function findPeak(items: CallSummary[]): Peak | undefined {
  const v = items.filter((c) => c.interval).sort((a, b) => present(a.interval).ms - present(b.interval).ms);
  if (v.length < MIN_CALLS) return undefined;
  let best = { i: 0, j: 0 };
  let j = 0;
  for (let i = 0; i < v.length; i++) {
    if (j < i) j = i;
    while (j + 1 < v.length && present(itemAt(v, j + 1).interval).ms - present(itemAt(v, i).interval).ms <= peakWidth(present(itemAt(v, i).interval).ms)) j++;
    if (j - i > best.j - best.i) best = { i, j };
  }
  // A timer fires within a few tens of ms; inside the wide window keep its tight core when that
  // core holds nearly all of it, so hang-ups that happen to fall near the value are not swept in.
  let core = best;
  for (let i = best.i, k = best.i; i <= best.j; i++) {
    if (k < i) k = i;
    while (k + 1 <= best.j && present(itemAt(v, k + 1).interval).ms - present(itemAt(v, i).interval).ms <= coreWidth(present(itemAt(v, i).interval).ms)) k++;
    if (k - i > core.j - core.i || core === best) core = { i, j: k };
  }
  if (core.j - core.i + 1 >= 0.8 * (best.j - best.i + 1)) best = core;
  const count = best.j - best.i + 1;
  if (count < MIN_CALLS) return undefined;
  const lo = present(itemAt(v, best.i).interval).ms;
  const hi = present(itemAt(v, best.j).interval).ms;
  const range = present(itemAt(v, v.length - 1).interval).ms - present(itemAt(v, 0).interval).ms;
  const expected = (v.length * peakWidth(lo)) / Math.max(range, peakWidth(lo));
  const sharp = count === v.length || (count / expected >= 4 && count / v.length >= 0.1);
  if (!sharp) return undefined;
  const members = v.slice(best.i, best.j + 1);
  const sorted = members.map((m) => present(m.interval).ms);
  return { valueMs: itemAt(sorted, Math.floor(sorted.length / 2)), loMs: lo, hiMs: hi, members };
}

function histogram(values: number[]): { fromMs: number; toMs: number; count: number }[] {
  const edges = [0, 1e3, 2e3, 3e3, 4e3, 5e3, 6e3, 8e3, 10e3, 15e3, 20e3, 30e3, 45e3, 60e3, 90e3, 120e3, 180e3, Infinity];
  const out = edges.slice(0, -1).map((from, i) => ({ fromMs: from, toMs: itemAt(edges, i + 1), count: 0 }));
  for (const v of values) {
    const b = out.find((x) => v >= x.fromMs && v < x.toMs);
    if (b) b.count++;
  }
  return out.filter((b) => b.count > 0).map((b) => ({ ...b, toMs: Number.isFinite(b.toMs) ? b.toMs : -1 }));
}

export interface TimerPattern {
  draft: DraftOf<"timer-pattern">;
  host: string;
  loMs: number;
  hiMs: number;
  valueMs: number;
  count: number;
}

function timerPatterns(calls: CallSummary[]): TimerPattern[] {
  const byHost = new Map<string, CallSummary[]>();
  for (const c of calls) if (c.interval) listIn(byHost, c.interval.host).push(c);
  const out: TimerPattern[] = [];
  for (const [host, g] of byHost) {
    const peak = findPeak(g);
    if (!peak) continue;
    const known = matchKnownTimer(peak.valueMs);
    const byProxy = peak.members.some((m) => m.cancelByProxy);
    const kind = present(itemAt(peak.members, 0).interval).kind;
    const values = g.map((c) => present(c.interval).ms);
    out.push({
      host,
      loMs: peak.loMs,
      hiMs: peak.hiMs,
      valueMs: peak.valueMs,
      count: peak.members.length,
      draft: {
        code: "timer-pattern",
        severity: byProxy || kind === "487" ? "warning" : "info",
        title: `${plural(peak.members.length, "call")} ended by ${host} at ${seconds(peak.valueMs)}${known ? ` (${known.name})` : ""}`,
        explanation:
          `${host} ${kind === "cancel" ? "sent CANCEL" : "answered 487"} ${seconds(peak.valueMs)} after the INVITE on ${plural(peak.members.length, "call")} (spread ${Math.round(peak.hiMs - peak.loMs)} ms) — a sharp peak that a timer makes and people hanging up do not. ` +
          (known ? `It matches ${known.name}. ` : `${unmatchedTimersText(peak.valueMs, seconds)} So it is a configured timer. `) +
          "Check which timer on that host is set to this value and whether it is meant to cut ringing that short.",
        evidence: indicesOf(peak.members),
        rfc: known?.rfc ? [known.rfc] : ["RFC 3261 §16.6"],
        confidence: peak.members.length >= 10 ? 0.9 : 0.7,
        callIds: peak.members.map((m) => m.callId),
        details: {
          host,
          anchor: kind === "cancel" ? "INVITE→CANCEL" : "INVITE→487",
          valueMs: Math.round(peak.valueMs),
          spreadMs: Math.round(peak.hiMs - peak.loMs),
          count: peak.members.length,
          ofIntervals: g.length,
          timer: known,
          histogram: histogram(values),
        },
      },
    });
  }
  return out;
}

/** Shares of INVITEs ending in 487 per destination, per CANCEL-originating host and per time window. */
export function clusterPatterns(invites: CallSummary[]): Draft[] {
  const hits = invites.filter((c) => c.ended487);
  const overall = share(hits.length, invites.length);
  const drafts: Draft[] = [];
  if (hits.length < MIN_CALLS) return drafts;
  drafts.push(...byDestination(invites, overall));
  drafts.push(...byCancelHost(invites));
  const abnormal = hits.filter(isAbnormal);
  const w = byTimeWindow(invites, abnormal, "Failed 487 calls", true) ?? (hits.length >= 10 ? byTimeWindow(invites, hits, "487 calls", false) : undefined);
  if (w) drafts.push(w);
  return drafts;
}

export { timerPatterns };
