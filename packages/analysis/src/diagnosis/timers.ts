import { itemAt, present } from "../access.js";
/** SIP timers (RFC 3261 §17, table 4) and the matching of measured intervals against them. */

export const T1_MS = 500;
export const T2_MS = 4000;
/** Timer H (64·T1): how long a server waits for the ACK of a non-2xx final (RFC 3261 §17.2.1). */
export const TIMER_H_MS = 64 * T1_MS;

interface KnownTimer {
  name: string;
  ms: number;
  rfc?: string;
}

/** Intervals a proxy or UA commonly cancels at: the RFC defaults and the usual configured values. */
const KNOWN_TIMERS: KnownTimer[] = [
  { name: "Timer B (64·T1)", ms: 64 * T1_MS, rfc: "RFC 3261 §17.1.1.2" },
  { name: "Timer C (3 min)", ms: 180_000, rfc: "RFC 3261 §16.6" },
  { name: "30 s no-answer timer", ms: 30_000 },
  { name: "60 s no-answer timer", ms: 60_000 },
  { name: "90 s no-answer timer", ms: 90_000 },
  { name: "120 s INVITE timer (Kamailio/OpenSIPS fr_inv_timer default)", ms: 120_000 },
];

/** A type, not an interface: it is stored as a finding detail (timerMatchSchema in @siplens/contracts). */
export type TimerMatch = {
  name: string;
  nominalMs: number;
  observedMs: number;
  /** observed − nominal */
  deltaMs: number;
  rfc?: string;
};

/** Tolerance for "this interval is that timer": timers fire late by scheduling jitter, never early by much. */
function timerTolerance(ms: number): number {
  return Math.max(250, ms * 0.01);
}

/** The known timer an interval matches, if any (closest first). */
export function matchKnownTimer(observedMs: number | undefined): TimerMatch | undefined {
  if (observedMs == null) return undefined;
  let best: TimerMatch | undefined;
  for (const t of KNOWN_TIMERS) {
    const delta = observedMs - t.ms;
    if (Math.abs(delta) > timerTolerance(t.ms)) continue;
    if (!best || Math.abs(delta) < Math.abs(best.deltaMs)) best = { name: t.name, nominalMs: t.ms, observedMs, deltaMs: Math.round(delta), rfc: t.rfc };
  }
  return best;
}

/**
 * The sentence for an interval that matches no known timer: which ones it was compared with and
 * how far the nearest is, so a reader sees it is a configured value, not a default.
 */
export function unmatchedTimersText(observedMs: number, seconds: (ms: number) => string): string {
  const nearest = present(nearestKnownTimer(observedMs));
  const names = KNOWN_TIMERS.map((t) => `${t.name} ${seconds(t.ms)}`).join(", ");
  return `It matches none of the known timers (${names}); the nearest, ${nearest.name}, is ${seconds(Math.abs(nearest.deltaMs))} away.`;
}

/** Expected gap before retransmission k (k = 1 for the first retransmission) under Timer G. */
function timerGGap(k: number): number {
  return Math.min(T1_MS * 2 ** (k - 1), T2_MS);
}

export interface TimerGFit {
  gapsMs: number[];
  expectedGapsMs: number[];
  /** True when every gap is the Timer G value within 30 % (or 150 ms). */
  matches: boolean;
  /** Span from the first to the last copy. */
  spanMs: number;
  /** The sender stopped about Timer H (64·T1 = 32 s) after the first copy. */
  reachedTimerH: boolean;
}

/** Compares the spacing of a response's copies with Timer G (RFC 3261 §17.2.1). */
export function fitTimerG(timesSec: number[]): TimerGFit {
  const gapsMs: number[] = [];
  const expectedGapsMs: number[] = [];
  let matches = timesSec.length >= 2;
  for (let i = 1; i < timesSec.length; i++) {
    const gap = Math.round((itemAt(timesSec, i) - itemAt(timesSec, i - 1)) * 1000);
    const want = timerGGap(i);
    gapsMs.push(gap);
    expectedGapsMs.push(want);
    if (Math.abs(gap - want) > Math.max(150, want * 0.3)) matches = false;
  }
  const spanMs = timesSec.length ? Math.round((itemAt(timesSec, timesSec.length - 1) - itemAt(timesSec, 0)) * 1000) : 0;
  return { gapsMs, expectedGapsMs, matches, spanMs, reachedTimerH: spanMs >= TIMER_H_MS - 2 * T2_MS };
}

/** The closest known timer whatever the distance, so a report can say how far off the standard values are. */
export function nearestKnownTimer(observedMs: number | undefined): TimerMatch | undefined {
  if (observedMs == null) return undefined;
  let best: TimerMatch | undefined;
  for (const t of KNOWN_TIMERS) {
    const delta = observedMs - t.ms;
    if (!best || Math.abs(delta) < Math.abs(best.deltaMs)) best = { name: t.name, nominalMs: t.ms, observedMs, deltaMs: Math.round(delta), rfc: t.rfc };
  }
  return best;
}
