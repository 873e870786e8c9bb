import { earliest, type Leg } from "../calls.js";
import { hopText, type Draft, type TreeFacts } from "../facts.js";
import { before, endpointText, gapMs, isReliable, type DxMsg } from "../input.js";
import { list, plural, seconds } from "../text.js";
import { fitTimerG, T1_MS, TIMER_H_MS } from "../timers.js";
import { itemAt } from "../../access.js";

/**
 * Over TCP a 487 is sent once (no Timer G), so the evidence of a lost ACK is the silence after it
 * while the capture still ran: an ACK takes one round trip, so several T1 of capture without one
 * is telling; a capture that outlasted Timer H shows the server gave up waiting.
 */
const RELIABLE_SILENCE_MS = 4 * T1_MS;

/** How the wait for the ACK of a 487 over a reliable transport ended, as far as the capture shows. */
type AckWait = "timer-h" | "capture-end" | "untimed";

function ackWaitOf(silenceMs: number | undefined, laterMessages: boolean): AckWait | undefined {
  if (silenceMs == null) return laterMessages ? "untimed" : undefined;
  if (silenceMs >= TIMER_H_MS) return "timer-h";
  return silenceMs >= RELIABLE_SILENCE_MS ? "capture-end" : undefined;
}

function sameDirection(a: DxMsg, b: DxMsg): boolean {
  if (!a.src || !b.src || !a.dst || !b.dst) return true;
  return a.src.ip === b.src.ip && a.dst.ip === b.dst.ip;
}

/** ACKs of the same INVITE that do not match the 487 (wrong branch, To tag or CSeq): said, not silently ignored. */
function mismatchedAcks(f: TreeFacts, leg: Leg, first: DxMsg): { ack: DxMsg; why: string[] }[] {
  const out: { ack: DxMsg; why: string[] }[] = [];
  const twoXXTags = new Set(f.twoXX.map((r) => r.toTag));
  for (const a of f.call.otherAcks) {
    if (!before(first, a)) continue;
    if (first.dst && a.src && first.dst.ip !== a.src.ip) continue;
    if (a.cseqSeq === f.tree.cseqSeq && twoXXTags.has(a.toTag)) continue; // the ACK of a 2xx: its own transaction
    const why: string[] = [];
    if (a.vias[0]?.branch !== leg.invite.vias[0]?.branch)
      why.push(`Via branch ${a.vias[0]?.branch ?? "(none)"} is not the INVITE's ${leg.invite.vias[0]?.branch ?? "(none)"}`);
    if ((a.toTag ?? "") !== (first.toTag ?? "")) why.push(`To tag ${a.toTag ?? "(none)"} is not the 487's ${first.toTag ?? "(none)"}`);
    if (a.cseqSeq !== leg.cseqSeq) why.push(`CSeq ${a.cseqSeq} is not the INVITE's ${leg.cseqSeq}`);
    if (why.length) out.push({ ack: a, why });
  }
  return out;
}

/**
 * A 487 needs a hop-by-hop ACK with the INVITE's branch (RFC 3261 §17.1.1.3). Without it the
 * server retransmits at Timer G spacing until Timer H (§17.2.1); over TCP it just waits.
 */
export function diagnoseMissingAck(f: TreeFacts): Draft[] {
  const out: Draft[] = [];
  for (const leg of f.tree.legs) {
    const all487 = leg.responses.filter((r) => r.status === 487);
    const first = earliest(all487);
    if (!first) continue;
    const copies = all487.filter((r) => sameDirection(r, first) && (r.toTag ?? "") === (first.toTag ?? "")).sort((a, b) => (before(a, b) ? -1 : 1));
    const acks = leg.acks.filter((a) => a.cseqSeq === leg.cseqSeq);
    const firstAck = earliest(acks);
    const afterAck = firstAck ? copies.filter((c) => before(firstAck, c) && (gapMs(firstAck, c) ?? 0) > 200) : [];
    const reliable = isReliable(first);
    // the trace's end is the capture's last packet of any kind, not its last SIP message
    const silenceMs = first.time != null && f.trace.endTime != null ? Math.round((f.trace.endTime - first.time) * 1000) : undefined;
    const wrong = firstAck ? [] : mismatchedAcks(f, leg, first);
    const wait = reliable ? ackWaitOf(silenceMs, first.time == null && f.trace.model.messages.length > first.index + 1) : undefined;
    let kind: "retransmitted" | "tcp-silence" | "ack-not-reaching" | "ack-mismatch" | undefined;
    if (!firstAck && copies.length >= 2) kind = "retransmitted";
    else if (!firstAck && wrong.length) kind = "ack-mismatch";
    else if (!firstAck && wait) kind = "tcp-silence";
    else if (firstAck && afterAck.length >= 2) kind = "ack-not-reaching";
    if (!kind) continue;

    const times = copies.map((c) => c.time).filter((t): t is number => t != null);
    const fit = times.length === copies.length && copies.length >= 2 ? fitTimerG(times) : undefined;
    const offsetsMs = times.map((t) => Math.round((t - itemAt(times, 0)) * 1000));
    const sender = endpointText(first.src) ?? "the UAS";
    const receiver = endpointText(first.dst) ?? leg.uac;
    const wrongText = wrong.length ? ` An ACK was sent but does not match: ${list(itemAt(wrong, 0).why)}.` : "";
    let explanation: string;
    let confidence: number;
    if (kind === "retransmitted") {
      const spacing = fit
        ? ` over ${seconds(fit.spanMs)}${fit.matches ? " at Timer G spacing (0.5, 1, 2, 4 s …)" : ""}`
        : " (the input has no timestamps, so their spacing could not be checked against Timer G)";
      explanation =
        `${sender} sent the 487 ${plural(copies.length, "time")}${spacing} and no ACK for it came back from ${receiver}${fit?.reachedTimerH ? ", until it gave up at Timer H (32 s)" : ""}.${wrongText} ` +
        "The cancelled call is cleaned up, but the lost ACK means responses do not reach the caller or its ACKs go elsewhere: check NAT/SIP ALG, the Via/rport the 487 was sent to, and the route of the ACK.";
      confidence = fit?.matches ? 0.9 : 0.75;
    } else if (kind === "ack-mismatch") {
      explanation = `${receiver} did send an ACK after the 487, but it does not match the INVITE transaction: ${list(itemAt(wrong, 0).why)}. This UAS took it anyway; a server or proxy that matches ACKs as RFC 3261 §17.2.3 requires would retransmit the 487 until Timer H — fix the UA's ACK (same branch, To tag and CSeq number as the INVITE/487).`;
      confidence = 0.7;
    } else if (kind === "tcp-silence") {
      const once = `Over ${first.transport.toUpperCase()} ${sender} sent the 487 once (no retransmissions on a reliable transport)`;
      const waited =
        wait === "timer-h"
          ? ` and no ACK came within Timer H (64·T1 = ${seconds(TIMER_H_MS)}): the capture ran on ${seconds(silenceMs)} after it, past the point where ${sender} stops waiting for one (RFC 3261 §17.2.1).`
          : wait === "capture-end"
            ? ` and no ACK followed before the capture ended ${seconds(silenceMs)} later (before Timer H, ${seconds(TIMER_H_MS)}, ran out).`
            : " and no ACK for it appears in the rest of the trace; the input has no timestamps, so whether the silence lasted until Timer H could not be checked.";
      explanation = `${once}${waited}${wrongText} Check that ${receiver} received the 487 on that connection and sends its ACK back on it.`;
      confidence = wait === "timer-h" ? 0.8 : wait === "capture-end" ? 0.6 : 0.4;
    } else {
      explanation = `An ACK for the 487 was captured, yet ${sender} kept retransmitting the 487 ${plural(afterAck.length, "more time")}: the ACK is not reaching it. Check where the ACK is routed (Via/Record-Route, NAT bindings) between the capture point and ${sender}.`;
      confidence = 0.7;
    }
    out.push({
      code: "missing-ack",
      severity: "error",
      title:
        kind === "tcp-silence"
          ? `487 over ${first.transport.toUpperCase()} never ACKed${wait === "timer-h" ? " within Timer H" : wait === "capture-end" ? " before the capture ended" : ""}`
          : kind === "ack-mismatch"
            ? "The ACK for the 487 does not match it"
            : `487 retransmitted ${plural(copies.length - 1, "time")} without an ACK`,
      explanation,
      evidence: [...new Set([leg.invite.index, ...copies.map((c) => c.index), ...wrong.map((w) => w.ack.index), ...(firstAck ? [firstAck.index] : [])])].sort(
        (a, b) => a - b,
      ),
      rfc: ["RFC 3261 §17.1.1.3", "RFC 3261 §17.2.1"],
      confidence,
      callIds: [f.call.callId],
      details: {
        hop: hopText(leg),
        direction: `${sender} → ${receiver}`,
        transmissions: copies.length,
        retransmissions: copies.length - 1,
        offsetsMs,
        gapsMs: fit?.gapsMs,
        expectedGapsMs: fit?.expectedGapsMs,
        timerG: fit ? (fit.matches ? "matches" : "irregular") : undefined,
        reachedTimerH: fit?.reachedTimerH,
        reliableTransport: reliable,
        ackSeen: firstAck != null,
        mismatchedAcks: wrong.map((w) => ({ index: w.ack.index, why: w.why })),
        silenceAfterMs: kind === "tcp-silence" ? silenceMs : undefined,
        // what ended the wait for the ACK over TCP: Timer H ran out, or the capture ended first
        ackWait: kind === "tcp-silence" ? wait : undefined,
        timingChecked: first.time != null,
      },
    });
  }
  return out;
}
