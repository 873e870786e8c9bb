import { earliest, firstFinal, type Leg } from "../calls.js";
import {
  firstProvisional,
  hopText,
  nextBranch,
  hopsSeen,
  lastProvisionalBefore,
  reasonDetails,
  type CancelInfo,
  type Draft,
  type DraftOf,
  type TreeFacts,
} from "../facts.js";
import { before, gapMs, is2xx, sentBy, type DxMsg } from "../input.js";
import { BY_MESSAGE_ORDER, millis, seconds, timed } from "../text.js";
import { matchKnownTimer, nearestKnownTimer, unmatchedTimersText, type TimerMatch } from "../timers.js";
import { itemAt, present } from "../../access.js";

/** A CANCEL sent this long after the answer reached its sender is no race: the sender knew. */
const LATE_AFTER_ANSWER_MS = 4000;

const RFC_CANCEL = ["RFC 3261 §9.1", "RFC 3261 §9.2"];

function responsesTo(leg: Leg): DxMsg[] {
  return leg.cancelResponses;
}

function statusesOf(responses: DxMsg[]): number[] {
  return responses.flatMap((r) => r.status ?? []);
}

function allCancelAnswers(f: TreeFacts): number[] {
  const out: number[] = [];
  for (const c of f.cancels) for (const r of responsesTo(c.leg)) if (r.status != null && !out.includes(r.status)) out.push(r.status);
  return out;
}

/** Reason header hints: a timer (408, "timeout", Q.850 19/102) or a person (487, "cancel", Q.850 16/31). */
function reasonHint(m: DxMsg): "timer" | "person" | undefined {
  for (const r of m.reason) {
    const proto = r.protocol.toUpperCase();
    if (/time ?out|no answer|expired|timer/i.test(r.text ?? "")) return "timer";
    if (proto === "SIP" && (r.cause === 408 || r.cause === 480)) return "timer";
    if (proto === "Q.850" && (r.cause === 18 || r.cause === 19 || r.cause === 102)) return "timer";
    if (proto === "SIP" && r.cause === 487) return "person";
    if (proto === "Q.850" && (r.cause === 16 || r.cause === 31)) return "person";
    if (/cancel|hang ?up|originator/i.test(r.text ?? "")) return "person";
  }
  return undefined;
}

function ackFor2xxBefore(f: TreeFacts, leg: Leg, cancel: DxMsg): DxMsg | undefined {
  return f.call.otherAcks.find((a) => a.cseqSeq === f.tree.cseqSeq && sentBy(a.vias[0]) === leg.uac && before(a, cancel));
}

/** Interval facts shared by the caller-hangup and proxy-timeout findings. */
function intervalDetails(info: CancelInfo) {
  const { leg, cancel } = info;
  const ringing = firstProvisional(leg, (s) => s === 180 || s === 183);
  const lastProv = lastProvisionalBefore(leg, cancel);
  return {
    ringTimeMs: gapMs(leg.invite, cancel),
    ringingMs: gapMs(ringing, cancel),
    sinceLastProvisionalMs: gapMs(lastProv, cancel),
    ringing,
    lastProv,
  };
}

function bestTimer(a: number | undefined, b: number | undefined): TimerMatch | undefined {
  const ma = matchKnownTimer(a);
  const mb = matchKnownTimer(b);
  if (ma && mb) return Math.abs(ma.deltaMs) <= Math.abs(mb.deltaMs) ? ma : mb;
  return ma ?? mb;
}

function evidenceOf(...ms: (DxMsg | undefined)[]): number[] {
  const s = new Set<number>();
  for (const m of ms) if (m) s.add(m.index);
  return [...s].sort((a, b) => a - b);
}

function four87s(f: TreeFacts): DxMsg[] {
  const out: DxMsg[] = [];
  for (const leg of f.tree.legs) {
    const first = earliest(leg.responses.filter((r) => r.status === 487));
    if (first) out.push(first);
  }
  return out;
}

function raceOrLate(f: TreeFacts): Draft[] {
  const o = present(f.origin);
  const { leg, cancel } = o;
  const leg2xx = earliest(leg.responses.filter(is2xx));
  const first2xx = present(earliest(f.twoXX));
  const ack = leg2xx ? ackFor2xxBefore(f, leg, cancel) : undefined;
  const sinceAnswer = gapMs(leg2xx, cancel);
  const base = { callIds: [f.call.callId], rfc: RFC_CANCEL };
  if (leg2xx && (ack || (sinceAnswer != null && sinceAnswer > LATE_AFTER_ANSWER_MS))) {
    const answers = statusesOf(responsesTo(leg));
    return [
      {
        ...base,
        code: "late-cancel",
        severity: "info",
        title: "CANCEL sent after the call was answered",
        explanation: `${leg.uac} sent CANCEL${timed(sinceAnswer, (t) => ` ${t}`)} after the ${leg2xx.status} answer had reached it${ack ? " and after it had already ACKed the answer" : ""}. A CANCEL has no effect on an answered INVITE (answered ${answers.join("/") || "nothing"}); the call must be ended with BYE — check the UA's hang-up logic.`,
        evidence: evidenceOf(leg2xx, ack, cancel, ...responsesTo(leg)),
        confidence: 0.85,
        details: { sinceAnswerMs: sinceAnswer, cancelAnsweredWith: answers, canceller: leg.uac, hop: hopText(leg) },
      },
    ];
  }
  // Who won: the first final the canceller received on its leg.
  const fin = firstFinal(leg) ?? earliest(f.tree.legs.flatMap((l) => l.responses.filter((r) => (r.status ?? 0) >= 200)));
  const winner = fin && fin.status === 487 ? "cancel" : "2xx";
  const raceGapMs = gapMs(first2xx, cancel);
  const answers = allCancelAnswers(f);
  const acks2xx = f.call.otherAcks.filter((a) => a.cseqSeq === f.tree.cseqSeq && sentBy(a.vias[0]) === leg.uac);
  const firstAck2xx = earliest(acks2xx.filter((a) => before(leg2xx ?? first2xx, a)));
  const bye = earliest(f.call.byes.filter((b) => before(first2xx, b)));
  const late2xx = winner === "cancel" ? earliest(leg.responses.filter((r) => is2xx(r) && fin && before(fin, r))) : undefined;
  const byeGap = gapMs(firstAck2xx ?? leg2xx, bye);
  let explanation: string;
  const severity: Draft["severity"] = "warning";
  const canceller = f.originBy === "caller" ? "the caller's" : `${leg.uac}'s`;
  const answerCopies = leg.responses.filter((r) => is2xx(r) && r.toTag === (leg2xx ?? first2xx).toTag).length;
  if (winner === "2xx") {
    explanation =
      `The callee's ${first2xx.status} OK and ${canceller} CANCEL crossed${raceGapMs != null ? ` ${millis(Math.abs(raceGapMs))} apart` : " (the input has no timestamps, so the gap could not be measured; who won is read off the order of the messages)"}: the answer won, so the CANCEL was answered ${answers.join("/") || "(no reply seen)"} and did nothing. ` +
      (bye
        ? `The caller ACKed and hung up with BYE${later(byeGap)} — the callee hears the call drop as soon as it answers. `
        : firstAck2xx
          ? "The caller ACKed the answer but no BYE was captured: check the call is not left up. "
          : `The caller never ACKed the answer${answerCopies > 1 ? ` (the ${first2xx.status} was sent ${answerCopies} times)` : ""}, so the callee drops the call when its 2xx retransmissions run out (RFC 3261 §13.3.1.4); a caller should ACK and BYE an answer it no longer wants. `) +
      "Normal for a hang-up at the moment of answer; frequent ones point at a long post-dial delay.";
  } else {
    explanation =
      `${itemAt(canceller, 0).toUpperCase()}${canceller.slice(1)} CANCEL won (487 first), yet a late ${late2xx?.status ?? first2xx.status} OK arrived${raceGapMs != null ? ` ${millis(Math.abs(raceGapMs))} after the CANCEL` : ` after the CANCEL (${BY_MESSAGE_ORDER}, so the gap could not be measured)`}. ` +
      (late2xx && firstAck2xx && bye
        ? "The caller correctly ACKed it and sent BYE, so no call was left up."
        : late2xx
          ? "That late answer must be ACKed and ended with BYE (RFC 3261 §15); check the caller does so, or the callee keeps a call nobody is on."
          : "The answer stayed downstream of the proxy; check the proxy ended that branch with ACK and BYE.");
  }
  return [
    {
      ...base,
      rfc: [...RFC_CANCEL, "RFC 3261 §15.1.2", "RFC 3261 §13.3.1.4"],
      code: "cancel-200-race",
      severity,
      title: winner === "2xx" ? "CANCEL crossed the answer: the 200 OK won" : "CANCEL won the race; a late 200 OK followed",
      explanation,
      evidence: evidenceOf(cancel, first2xx, leg2xx, fin, late2xx, firstAck2xx, bye, ...responsesTo(leg)),
      confidence: 0.9,
      details: {
        winner,
        raceGapMs,
        cancelIndex: cancel.index,
        answerIndex: first2xx.index,
        cancelAnsweredWith: answers,
        ackedAnswer: firstAck2xx != null,
        answerTransmissions: answerCopies,
        byeIndex: bye?.index,
        byeAfterAnswerMs: byeGap,
        ringTimeMs: gapMs(leg.invite, cancel),
        canceller: leg.uac,
        reason: reasonDetails(cancel),
        hopsSeen: hopsSeen(f.tree),
      },
    },
  ];
}

function lateAfterFinal(f: TreeFacts, fin: DxMsg): Draft {
  const { leg, cancel } = present(f.origin);
  const answers = statusesOf(responsesTo(leg));
  return {
    code: "late-cancel",
    severity: "info",
    title: `CANCEL sent after the INVITE already ended (${fin.status})`,
    explanation: `${leg.uac} sent CANCEL${timed(gapMs(fin, cancel), (t) => ` ${t}`)} after the INVITE had already got its final ${fin.status}; it was answered ${answers.join("/") || "(no reply seen)"} and changed nothing. Harmless, but a UA that cancels after a final response is not tracking its transactions.`,
    evidence: evidenceOf(fin, cancel, ...responsesTo(leg)),
    rfc: ["RFC 3261 §9.1"],
    confidence: 0.8,
    callIds: [f.call.callId],
    details: { finalStatus: fin.status, cancelAfterFinalMs: gapMs(fin, cancel), cancelAnsweredWith: answers, canceller: leg.uac },
  };
}

/** The legs below this one: where its INVITE went on (its own branch of the tree). */
function below(leg: Leg): Set<Leg> {
  const out = new Set<Leg>([leg]);
  const stack = [...leg.children];
  while (stack.length) {
    const c = present(stack.pop());
    out.add(c);
    stack.push(...c.children);
  }
  return out;
}

/**
 * The 2xx answers that can have crossed this leg's CANCEL: those of the leg and the legs below
 * it, and those on the legs above it that this branch produced. An answer above with the To tag
 * of another branch (captured or not: a tag this branch never sent) is that branch answering —
 * serial forking, not a race. Without a tagged response on this branch nothing rules a race out.
 */
function answersOnPath(f: TreeFacts, leg: Leg): DxMsg[] {
  const down = below(leg);
  const up = new Set<Leg>();
  for (let p = leg.parent; p; p = p.parent) up.add(p);
  const ownTags = new Set<string>();
  for (const l of down) for (const r of l.responses) if (r.toTag) ownTags.add(r.toTag);
  const otherBranchTags = new Set<string>();
  for (const l of f.tree.legs) if (!down.has(l) && !up.has(l)) for (const r of l.responses) if (is2xx(r) && r.toTag) otherBranchTags.add(r.toTag);
  const fromThisBranch = (r: DxMsg) => !(r.toTag && otherBranchTags.has(r.toTag)) && (!ownTags.size || (r.toTag != null && ownTags.has(r.toTag)));
  return f.twoXX.filter((r) => {
    const l = f.tree.legs.find((x) => x.responses.includes(r));
    return l != null && (down.has(l) || (up.has(l) && fromThisBranch(r)));
  });
}

/** Facts shared by every finding about the deciding CANCEL. */
type CommonDetails = Record<string, unknown>;

/** " 1.2 s later", or nothing when the input has no times. */
const later = (ms: number | undefined): string => timed(ms, (t) => ` ${t} later`);

function timerSentence(timer: TimerMatch | undefined, iv: ReturnType<typeof intervalDetails>): string {
  if (timer) return `The interval matches ${timer.name} (${seconds(timer.nominalMs)}, off by ${millis(timer.deltaMs)}).`;
  if (iv.ringTimeMs == null) return "The input has no timestamps, so the interval could not be checked against known timers.";
  const measured = iv.sinceLastProvisionalMs ?? iv.ringTimeMs;
  return `${unmatchedTimersText(measured, seconds)} So it is a configured INVITE/no-answer timer of about ${seconds(measured)}.`;
}

/**
 * A proxy gave up on one branch and tried the next (serial forking, forward on no answer): the
 * branch's 487 is the result of the proxy's per-branch timer, not of the caller or of a race.
 */
function serialAdvance(
  f: TreeFacts,
  o: CancelInfo,
  next: Leg,
  iv: ReturnType<typeof intervalDetails>,
  timer: TimerMatch | undefined,
  common: CommonDetails,
): Draft {
  const { leg, cancel } = o;
  const r487 = earliest(leg.responses.filter((r) => r.status === 487));
  const answer = earliest(next.responses.filter(is2xx));
  const nextFinal = firstFinal(next);
  const startGap = gapMs(cancel, next.invite);
  // the sign of a rounded gap can hide the order: read it from the trace
  const side = before(next.invite, cancel) ? "before" : "after";
  const apart = startGap == null ? "" : Math.abs(startGap) < 0.1 ? "under 0.1 ms" : millis(Math.abs(startGap));
  const order =
    startGap == null
      ? `after giving up on the first (${BY_MESSAGE_ORDER})`
      : Math.abs(startGap) < 5
        ? `together with the CANCEL of the first (${apart} ${side} it: one timer event sends both)`
        : `${apart} ${side} it cancelled the first`;
  const target = (l: Leg) => l.invite.requestUri ?? hopText(l);
  const nextCancel = earliest(next.cancels);
  const upFinal = leg.parent ? firstFinal(leg.parent) : undefined;
  const upText = upFinal && !is2xx(upFinal) ? ` The caller got ${upFinal.status}.` : "";
  const outcome = answer
    ? `${target(next)} answered${timed(gapMs(next.invite, answer), (t) => ` ${t} later`)}, so the call went through as configured.`
    : nextFinal
      ? `${target(next)} ended with ${nextFinal.status}${nextCancel && f.ownCancels.some((c) => c.cancel === nextCancel) ? ` after the proxy cancelled it too${timed(gapMs(next.invite, nextCancel), (t) => `, ${t} after its INVITE`)}` : ""}.${upText}`
      : `The trace shows no final answer from ${target(next)}.${upText}`;
  return {
    code: "proxy-timeout",
    severity: answer ? "info" : "warning",
    title: `Proxy ${leg.uac} gave up on ${target(leg)}${iv.ringTimeMs != null ? ` after ${seconds(iv.ringTimeMs)}` : ""} and advanced to the next target (serial forking)`,
    explanation:
      `${leg.uac} tried its targets one after another: ${target(leg)} rang${timed(iv.ringTimeMs, (t) => ` ${t}`)} without answering, then the proxy's per-branch timer fired and it sent the INVITE to ${target(next)} ${order}. ` +
      `That branch's 487 is this serial advance — no CANCEL came from upstream and nobody had answered yet, so it is neither the caller hanging up nor a CANCEL/200 race. ${timerSentence(timer, iv)} ${outcome} ` +
      `If the first target should ring longer, check the proxy's per-branch timer (e.g. t_set_fr / fr_inv_timer) and failure route.`,
    evidence: evidenceOf(leg.invite, cancel, next.invite, r487, answer, upFinal),
    rfc: ["RFC 3261 §16.6", "RFC 3261 §16.7", "RFC 3261 §9.1"],
    confidence: f.originBy === "proxy" ? 0.9 : 0.8,
    callIds: [f.call.callId],
    details: {
      ...common,
      proxy: leg.uac,
      serial: true,
      timer,
      nearestTimer: nearestKnownTimer(iv.sinceLastProvisionalMs ?? iv.ringTimeMs),
      cancelledHops: [hopText(leg)],
      nextBranch: {
        target: next.invite.requestUri,
        hop: hopText(next),
        inviteIndex: next.invite.index,
        inviteAfterCancelMs: startGap,
        finalStatus: nextFinal?.status,
      },
      answeredByNextBranch: answer?.index,
      upstreamFinal: upFinal?.status,
    },
  };
}

export interface CancelVerdict {
  drafts: Draft[];
  /** Set when the verdict rests on an upstream hop the trace lacks: patterns may settle it. */
  ambiguous?: { draft: DraftOf<"caller-hangup">; intervalMs?: number; host: string };
}

/**
 * Who ended the INVITE with a CANCEL, and was it a person or a timer (caller-hangup,
 * proxy-timeout), or did the CANCEL meet an answer (cancel-200-race, late-cancel).
 */
export function diagnoseCancels(f: TreeFacts): CancelVerdict {
  const o = f.origin;
  if (!o || f.tree.inDialog) return { drafts: [] };
  // Only an answer on the cancelled path can cross the CANCEL; another fork branch answering later is serial forking.
  if (answersOnPath(f, o.leg).length) return { drafts: raceOrLate(f) };
  const laterAnswer = f.twoXX.length ? earliest(f.twoXX) : undefined;
  const fin = firstFinal(o.leg);
  if (fin && before(fin, o.cancel)) return { drafts: [lateAfterFinal(f, fin)] };
  // A CANCEL with no 487 anywhere: the capture ended first, or a final crossed it — not a 487 to explain.
  if (!f.has487) return { drafts: [] };

  const by = present(f.originBy);
  const iv = intervalDetails(o);
  const timer = bestTimer(iv.ringTimeMs, iv.sinceLastProvisionalMs);
  const hint = reasonHint(o.cancel);
  const r487 = four87s(f);
  const upFinal = o.leg.parent ? firstFinal(o.leg.parent) : undefined;
  const common = {
    ringTimeMs: iv.ringTimeMs,
    ringingMs: iv.ringingMs,
    sinceLastProvisionalMs: iv.sinceLastProvisionalMs,
    cancelOriginHost: o.leg.uac,
    cancelOrigin: by,
    reason: reasonDetails(o.cancel),
    cancelAnsweredWith: allCancelAnswers(f),
    hopsSeen: hopsSeen(f.tree),
    upstreamCaptured: by !== "upstream-unseen",
  };
  const evidence = evidenceOf(itemAt(f.tree.legs, 0).invite, o.leg.invite, iv.ringing, o.cancel, ...r487, upFinal);
  // A proxy that sent the next branch when it cancelled this one advanced serially (needs no upstream to tell).
  const next = by === "caller" ? undefined : nextBranch(f.tree, o.leg, o.cancel);
  if (next) return { drafts: [serialAdvance(f, o, next, iv, timer, common)] };

  const proxyTimeout = (confidence: number, why: string): Draft => {
    const ownLegs = f.ownCancels.map((c) => hopText(c.leg));
    // serial siblings were handled above: an answering sibling here was forked together with this branch
    const parallelWinner = laterAnswer && f.tree.legs.find((l) => l !== o.leg && l.parentKey === o.leg.parentKey && l.responses.some(is2xx));
    const nextText = parallelWinner
      ? ` ${parallelWinner.invite.requestUri ?? hopText(parallelWinner)}, forked at the same time, answered${later(gapMs(o.cancel, laterAnswer))}: this branch's own timer had already ended it.`
      : laterAnswer
        ? ` Then another target answered${later(gapMs(o.cancel, laterAnswer))} (its branch is not in the trace: serial forking / forward on no answer), which is often intended.`
        : "";
    // a 2xx upstream is another target's answer, told by nextText
    const upText =
      upFinal && !is2xx(upFinal)
        ? ` and answered upstream with ${upFinal.status}${upFinal.status === 487 ? " (so the caller sees a 487 it never asked for)" : ""}`
        : "";
    const timerText = timerSentence(timer, iv);
    return {
      code: "proxy-timeout",
      severity: laterAnswer ? "info" : "warning",
      title: `Proxy ${o.leg.uac} gave up${iv.ringTimeMs != null ? ` after ${seconds(iv.ringTimeMs)}` : ""} and cancelled the call`,
      explanation:
        `${o.leg.uac} sent CANCEL on its own${timed(iv.ringTimeMs, (t) => ` ${t} after forwarding the INVITE`)}${timed(iv.sinceLastProvisionalMs, (t) => ` (${t} after the last provisional)`)}${upText}: ${why}. ${timerText}${nextText} ` +
        `Check that proxy's INVITE/ringing timer (e.g. fr_inv_timer, Timer C) against how long callees are meant to ring.`,
      evidence: [...new Set([...evidence, ...f.ownCancels.map((c) => c.cancel.index)])].sort((a, b) => a - b),
      rfc: ["RFC 3261 §16.6", "RFC 3261 §16.8", "RFC 3261 §9.1"],
      confidence,
      callIds: [f.call.callId],
      details: {
        ...common,
        proxy: o.leg.uac,
        timer,
        nearestTimer: nearestKnownTimer(iv.sinceLastProvisionalMs ?? iv.ringTimeMs),
        cancelledHops: ownLegs,
        upstreamFinal: upFinal?.status,
        answeredByNextBranch: laterAnswer?.index,
      },
    };
  };

  const callerHangup = (confidence: number, note: string): DraftOf<"caller-hangup"> => ({
    code: "caller-hangup",
    severity: "info",
    title:
      iv.ringTimeMs != null
        ? `Caller hung up after ${seconds(iv.ringTimeMs)}${iv.ringingMs != null ? ` (${seconds(iv.ringingMs)} of ringing)` : ""}`
        : "Caller hung up before an answer",
    explanation:
      `${o.leg.uac} sent CANCEL${timed(iv.ringTimeMs, (t) => ` ${t} after its INVITE`)}, before any final response; the callee side answered 487 Request Terminated, as RFC 3261 §9.2 requires. ${note}` +
      "Nothing is broken; many of these on one destination mean calls there ring too long unanswered.",
    evidence,
    rfc: RFC_CANCEL,
    confidence,
    callIds: [f.call.callId],
    details: { ...common, timer: hint === "timer" ? timer : undefined },
  });

  if (by === "caller") {
    const note = hint === "timer" ? `Its Reason header (${common.reason}) says a no-answer timer on the calling side sent it, not a person. ` : "";
    return { drafts: [callerHangup(hint === "timer" || (timer && !hint) ? 0.85 : 0.95, note)] };
  }
  if (by === "proxy") {
    const why = "no CANCEL came from upstream, so the caller did not hang up; a timer fired";
    return { drafts: [proxyTimeout(0.9, why)] };
  }
  // The CANCEL left a proxy whose upstream leg is not in the trace: person or timer?
  if (hint === "timer") return { drafts: [proxyTimeout(0.7, `its Reason header (${common.reason}) names a timeout`)] };
  if (timer && hint !== "person") return { drafts: [proxyTimeout(0.55, "the upstream leg is not in the trace, but the interval is a well-known timer")] };
  const note =
    hint === "person"
      ? `The CANCEL came from ${o.leg.uac}, a proxy; its Reason header (${common.reason}) says the caller cancelled upstream. `
      : `The CANCEL came from ${o.leg.uac}, a proxy, and its upstream leg is not in the trace: a caller hang-up is the usual reading, but a proxy timer cannot be ruled out. `;
  const hangup = callerHangup(hint === "person" ? 0.8 : 0.55, note);
  return {
    drafts: [hangup],
    ambiguous: hint === "person" ? undefined : { draft: hangup, intervalMs: iv.ringTimeMs, host: o.leg.uac },
  };
}

export { proxyTimeoutFromPattern };

/** Re-reads an ambiguous caller-hangup as a proxy timeout once a fixed interval is seen across calls. */
function proxyTimeoutFromPattern(d: DraftOf<"caller-hangup">, valueMs: number, calls: number): DraftOf<"proxy-timeout"> {
  const host = d.details.cancelOriginHost ?? "The proxy";
  return {
    ...d,
    code: "proxy-timeout",
    severity: "warning",
    title: `Proxy ${host} cancelled at its fixed ${seconds(valueMs)} timer`,
    explanation: `${host} sent CANCEL ${seconds(d.details.ringTimeMs)} after the INVITE — the same interval it cancelled ${calls} calls at, which is a timer, not people hanging up. The upstream leg is not in the trace, so confirm on the proxy which timer (e.g. fr_inv_timer, Timer C) is set to about ${seconds(valueMs)}.`,
    rfc: ["RFC 3261 §16.6", "RFC 3261 §16.8"],
    confidence: 0.7,
    details: { ...d.details, timer: matchKnownTimer(valueMs), fixedIntervalMs: Math.round(valueMs), fixedIntervalCalls: calls },
  };
}
