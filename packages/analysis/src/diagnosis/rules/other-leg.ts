/**
 * The other leg of a correlated call (correlate/: another Call-ID behind a B2BUA or SBC) explains
 * what one leg alone cannot:
 *  - a 487 on the caller's leg A with no CANCEL on it, when the B2BUA cancelled (or lost) its leg
 *    B at that moment: the B2BUA's own timer or decision, with leg B's messages as evidence;
 *  - a CANCEL the B2BUA sent on leg B, which one leg reads as "caller hang-up, upstream unseen":
 *    relayed, when leg A was cancelled by its caller just before; the B2BUA's own, when leg A had
 *    no CANCEL at all (then it is a timeout of the B2BUA, like a proxy's; only on a link of 0.6 or more).
 */
import type { CallGroup, Correlation } from "../../correlate/index.js";
import { firstFinal, type CallDx, type Leg } from "../calls.js";
import type { CancelDecisionDetails } from "@siplens/contracts";
import type { Draft } from "../facts.js";
import { before, gapMs, type DxMsg } from "../input.js";
import { BY_MESSAGE_ORDER, millis, timed } from "../text.js";
import { matchKnownTimer } from "../timers.js";
import { b2buaMapping, isMappable, type MappedFinal } from "./final-mapped.js";
import { addCandidate, addMappedFinal, type Candidate } from "./without-cancel.js";

export interface LegResult {
  call: CallDx;
  drafts: Draft[];
}

/** A B2BUA relays a CANCEL within milliseconds; its two legs end within a moment of each other. */
const RELAY_MS = 2000;
const SAME_MOMENT_MS = 1000;
/** Links weaker than this (a forwarded number alone, a log without times) do not overturn a leg's own reading. */
const MIN_OVERTURN = 0.6;

interface Side {
  result: LegResult;
  leg: Leg;
}

/** The leg of the call's last initial INVITE the caller sent (an earlier one may have been challenged). */
function rootLeg(call: CallDx): Leg | undefined {
  const tree = call.trees.filter((t) => !t.inDialog).pop();
  return tree ? (tree.roots[0] ?? tree.legs[0]) : undefined;
}

/** B leaves the element A's INVITE went to, after A's INVITE (a log without addresses cannot say where). */
function downstreamOf(a: Leg, b: Leg): boolean {
  if (!before(a.invite, b.invite)) return false;
  const into = a.invite.dst?.ip;
  const from = b.invite.src?.ip;
  return into === undefined || from === undefined || into === from;
}

/** |a − b| within `ms`, or true when the trace has no times (order alone then). */
function near(a: DxMsg, b: DxMsg, ms: number): boolean {
  const g = gapMs(a, b);
  return g === undefined || Math.abs(g) <= ms;
}

function linkText(g: CallGroup, other: Leg): string {
  const callId = other.callId;
  const basis =
    g.basis === "heuristic"
      ? `by ${other.invite.time == null ? "order" : "time"}, numbers and address`
      : `by ${g.basis === "x-cid" ? "X-CID" : g.basis === "session-id" ? "Session-ID" : "icid"}`;
  return `${callId}, linked ${basis}`;
}

/** How much the other leg's reading is worth: the link's own confidence caps it. */
function weight(g: CallGroup, base: number): number {
  return Math.round(Math.min(base, 0.5 + 0.45 * g.confidence) * 100) / 100;
}

type OtherLeg = NonNullable<CancelDecisionDetails["otherLeg"]>;

function otherLegDetails(g: CallGroup, other: Leg, extra: Partial<OtherLeg>): OtherLeg {
  return { callId: other.callId, groupId: g.id, basis: g.basis, linkConfidence: g.confidence, inviteIndex: other.invite.index, ...extra };
}

/** Case 1: a 487 on A with no CANCEL, explained by B's CANCEL or final at that moment. */
function explain487(a: Side, b: Side, g: CallGroup): void {
  for (const d of a.result.drafts) {
    if (d.code !== "487-without-cancel") continue;
    const r487 = a.result.call.messages.find((m) => m.index === d.details.index487);
    if (!r487) continue;
    const b2bua = b.leg.uac;
    const cancel = b.leg.cancels[0];
    const final = firstFinal(b.leg);
    let c: Candidate | undefined;
    let mapped: MappedFinal | undefined;
    let extra: Partial<OtherLeg> = {};
    if (cancel && near(cancel, r487, SAME_MOMENT_MS) && before(b.leg.invite, cancel)) {
      const ringMs = gapMs(b.leg.invite, cancel);
      const timer = matchKnownTimer(d.details.afterInviteMs);
      const gap = gapMs(cancel, r487);
      // without times only the order is known: the CANCEL before or after this 487, not how close
      const when =
        gap === undefined
          ? `${before(cancel, r487) ? "before" : "after"} this 487 (${BY_MESSAGE_ORDER})`
          : `${millis(Math.abs(gap))} ${gap >= 0 ? "before" : "after"} this 487`;
      c = {
        id: "b2bua-other-leg",
        text: `the B2BUA ${b2bua} cancelled its other leg (${linkText(g, b.leg)})${timed(ringMs, (t) => ` ${t} after opening it`)}, ${when}; no CANCEL reached it on this leg, so that was its own ${timer ? timer.name : "no-answer timer"} or decision, and the 487 here passes it on`,
        likelihood: weight(g, 0.9),
        evidence: [
          b.leg.invite.index,
          cancel.index,
          ...b.leg.responses
            .filter((r) => r.status === 487)
            .slice(0, 1)
            .map((r) => r.index),
        ],
      };
      extra = { cancelIndex: cancel.index, cancelAfterInviteMs: ringMs, gapToThis487Ms: gap, ...(timer ? { timer } : {}) };
    } else if (final && (final.status ?? 0) >= 300 && before(final, r487) && near(final, r487, SAME_MOMENT_MS * 5)) {
      c = {
        id: "b2bua-other-leg",
        text: `the B2BUA ${b2bua}'s other leg (${linkText(g, b.leg)}) ended with ${final.status}${final.reasonPhrase ? ` ${final.reasonPhrase}` : ""} ${timed(gapMs(final, r487), (t) => `${t} before this 487`, millis) || `before this 487 (${BY_MESSAGE_ORDER})`}: the B2BUA passed that end on as 487, hiding the far side's reason from the caller`,
        likelihood: weight(g, 0.85),
        evidence: [b.leg.invite.index, final.index],
      };
      extra = { finalIndex: final.index, finalStatus: final.status };
      // a failure of its own (603, 486 …) answered as 487 here: the B2BUA mapped that final, as
      // engine.ts reads it when the times tie the legs (this link also holds on a log without times)
      if (isMappable(final)) {
        const mapper = d.details.originIp ?? b2bua;
        mapped = b2buaMapping(mapper, b.leg.invite, final, r487);
      }
    }
    if (!c) continue;
    // our link replaces a guess by timing alone (never weaker than that guess was)
    const candidates = d.details.candidates ?? [];
    const guess = candidates.find((x) => x.id === "b2bua-other-leg");
    if (guess) c.likelihood = Math.max(c.likelihood, guess.likelihood);
    d.details.candidates = candidates.filter((x) => x !== guess);
    if (mapped) addMappedFinal(d, mapped, c.likelihood, c.evidence);
    else addCandidate(d, c);
    d.details.otherLeg = otherLegDetails(g, b.leg, extra);
    d.details.otherLegCallId = b.leg.callId;
  }
}

const UNSEEN = /The CANCEL came from [^,]+, a proxy, and its upstream leg is not in the trace: [^.]*\./;

/** Cases 2 and 3: B's CANCEL, from the B2BUA, read with leg A in view. */
function explainCancel(a: Side, b: Side, g: CallGroup): void {
  const bCancel = b.leg.cancels[0];
  if (!bCancel) return;
  // leg B's "caller" is the B2BUA itself: read as a caller (one Via) or as a proxy whose upstream is unseen
  const i = b.result.drafts.findIndex(
    (d) => d.code === "caller-hangup" && (d.details.cancelOrigin === "upstream-unseen" || d.details.cancelOrigin === "caller"),
  );
  const d = b.result.drafts[i];
  if (d?.code !== "caller-hangup") return;
  const aCancel = a.leg.cancels[0];
  if (aCancel) {
    if (!before(aCancel, bCancel) || !near(aCancel, bCancel, RELAY_MS)) return;
    const settled = `The CANCEL came from ${b.leg.uac}, a B2BUA, relaying its caller's: ${a.leg.uac} cancelled the other leg (${linkText(g, a.leg)}) ${timed(gapMs(aCancel, bCancel), (t) => `${t} earlier`, millis) || `earlier (${BY_MESSAGE_ORDER})`}.`;
    d.explanation = UNSEEN.test(d.explanation) ? d.explanation.replace(UNSEEN, settled) : `${d.explanation} ${settled}`;
    d.confidence = Math.max(d.confidence, weight(g, 0.9));
    d.evidence = [...new Set([...d.evidence, a.leg.invite.index, aCancel.index])].sort((x, y) => x - y);
    d.details.otherLeg = otherLegDetails(g, a.leg, { cancelIndex: aCancel.index, relayedAfterMs: gapMs(aCancel, bCancel) });
    d.details.cancelRelayedFrom = a.leg.uac;
    d.details.cancelOrigin = "caller";
    d.details.cancelOriginHost = a.leg.uac;
    d.details.upstreamCaptured = true;
    return;
  }
  // no CANCEL on the caller's leg: the B2BUA decided, and ended the caller's leg at that moment;
  // a reading that overturns the leg's own needs a link better than a guess
  if (g.confidence < MIN_OVERTURN) return;
  const aFinal = firstFinal(a.leg);
  if (aFinal && !near(aFinal, bCancel, SAME_MOMENT_MS)) return;
  if (aFinal && (aFinal.status ?? 0) < 300) return;
  const ringMs = d.details.ringTimeMs;
  const timer = matchKnownTimer(ringMs);
  const end = aFinal
    ? `and answered its caller's leg (${linkText(g, a.leg)}) ${aFinal.status}${timed(
        gapMs(aFinal, bCancel),
        (t) => ` ${t} apart`,
        (ms) => millis(Math.abs(ms)),
      )}`
    : `while its caller's leg (${linkText(g, a.leg)}) was still waiting`;
  b.result.drafts[i] = {
    ...d,
    code: "proxy-timeout",
    severity: "warning",
    title: `B2BUA ${b.leg.uac} cancelled its outgoing leg on its own${timed(ringMs, (t) => `, ${t} after the INVITE`)}`,
    explanation: `${b.leg.uac} sent CANCEL on this leg${timed(ringMs, (t) => ` ${t} after its INVITE`)}, with no CANCEL on the other side of the call, ${end}. That is the B2BUA's own ${timer ? timer.name : "no-answer timer (or a decision of its own)"}, not the caller hanging up: check its INVITE/no-answer timer${timer ? "" : timed(ringMs, (t) => ` (about ${t})`)}.`,
    rfc: ["RFC 3261 §16.6", "RFC 3261 §9.1"],
    confidence: weight(g, 0.85),
    evidence: [...new Set([...d.evidence, a.leg.invite.index, ...(aFinal ? [aFinal.index] : [])])].sort((x, y) => x - y),
    details: {
      ...d.details,
      cancelOrigin: "proxy",
      timer,
      otherLeg: otherLegDetails(g, a.leg, aFinal ? { finalIndex: aFinal.index, finalStatus: aFinal.status } : {}),
    },
  };
}

/** Reads every correlated pair (A upstream of B) and rewrites the drafts the other leg explains. */
export function explainByOtherLeg(results: readonly LegResult[], correlation: Correlation | undefined): void {
  if (!correlation?.groups.length) return;
  const byId = new Map(results.map((r) => [r.call.callId, r]));
  for (const g of correlation.groups) {
    const sides: Side[] = [];
    for (const id of g.callIds) {
      const result = byId.get(id);
      const leg = result && rootLeg(result.call);
      if (result && leg) sides.push({ result, leg });
    }
    for (const a of sides) {
      for (const b of sides) {
        if (a === b || !downstreamOf(a.leg, b.leg)) continue;
        explain487(a, b, g);
        explainCancel(a, b, g);
      }
    }
  }
}
