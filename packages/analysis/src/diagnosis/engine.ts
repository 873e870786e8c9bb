import type { Finding } from "@siplens/contracts";
import { buildCalls, earliest, type CallDx } from "./calls.js";
import { destinationOf, treeFacts, type Draft, type DraftOf } from "./facts.js";
import { endpointText, gapMs, is2xx, type DxMsg, type DxTrace } from "./input.js";
import { clusterPatterns, timerPatterns, type CallSummary, type TimerPattern } from "./patterns.js";
import { millis, seconds } from "./text.js";
import { diagnose487After2xx } from "./rules/after-2xx.js";
import { diagnoseAlg } from "./rules/alg.js";
import { diagnoseCancels, proxyTimeoutFromPattern, type CancelVerdict } from "./rules/cancels.js";
import { diagnoseForks } from "./rules/forks.js";
import { diagnoseMissingAck } from "./rules/missing-ack.js";
import { explainByOtherLeg } from "./rules/other-leg.js";
import { diagnoseUnmatchedCancels } from "./rules/unmatched.js";
import { b2buaMapping, isMappable } from "./rules/final-mapped.js";
import { addCandidate, addMappedFinal, diagnoseWithoutCancel } from "./rules/without-cancel.js";
import { orderFindings } from "./finding-order.js";
import { itemAt, listIn, present } from "../access.js";

/** Where a call started (the sender of its first captured INVITE) and how that INVITE ended. */
interface CallStart {
  callId: string;
  ip: string;
  invite: DxMsg;
  end?: DxMsg;
}

interface CallResult {
  start?: CallStart;
  drafts: Draft[];
  summary?: CallSummary;
  ambiguous?: CancelVerdict["ambiguous"];
}

function diagnoseCall(call: CallDx, trace: DxTrace): CallResult {
  const drafts: Draft[] = [];
  let summary: CallSummary | undefined;
  let ambiguous: CallResult["ambiguous"];
  let start: CallStart | undefined;
  const lastInitial = call.trees.filter((t) => !t.inDialog).pop();
  for (const tree of call.trees) {
    const f = treeFacts(call, tree, trace);
    const verdict = diagnoseCancels(f);
    const treeDrafts = [...verdict.drafts, ...diagnoseForks(f), ...diagnoseMissingAck(f), ...diagnose487After2xx(f), ...diagnoseWithoutCancel(f)];
    if (verdict.ambiguous) ambiguous = verdict.ambiguous;
    drafts.push(...treeDrafts);
    // The caller's last initial INVITE (an earlier one may have been challenged 401/407) speaks for the call.
    if (!tree.inDialog && tree === lastInitial) {
      const root = tree.roots[0] ?? itemAt(tree.legs, 0);
      if (root.invite.src)
        start = {
          callId: call.callId,
          ip: root.invite.src.ip,
          invite: root.invite,
          end: earliest([...root.cancels, ...root.responses.filter((r) => (r.status ?? 0) >= 200)]),
        };
      const without = treeDrafts.find((d) => d.code === "487-without-cancel");
      const r487 = without?.evidence[without.evidence.length - 1];
      const origin = f.origin;
      summary = {
        callId: call.callId,
        startTime: root.invite.time,
        destination: destinationOf(root.invite.requestUri),
        // answered elsewhere (ring group) is not a call that failed with 487
        ended487: f.has487 && !f.twoXX.length && !treeDrafts.some((d) => d.code === "fork-branch-lost"),
        codes: treeDrafts.map((d) => d.code),
        cancelOriginHost: origin?.leg.uac,
        cancelByProxy: f.originBy === "proxy",
        interval:
          origin && f.has487 && !f.twoXX.some(is2xx)
            ? { ms: gapMs(origin.leg.invite, origin.cancel) ?? NaN, host: origin.leg.uac, index: origin.cancel.index, kind: "cancel" }
            : without?.details.afterInviteMs != null && without.details.originHost != null && r487 != null
              ? { ms: without.details.afterInviteMs, host: without.details.originHost, index: r487, kind: "487" }
              : undefined,
      };
      if (summary.interval && !Number.isFinite(summary.interval.ms)) summary.interval = undefined;
    }
  }
  drafts.push(...diagnoseUnmatchedCancels(call));
  const problem = drafts.some((d) => d.code === "missing-ack" || d.code === "cancel-unmatched");
  drafts.push(...diagnoseAlg(call, problem));
  if (summary) summary.codes = drafts.map((d) => d.code);
  return { drafts, summary, ambiguous, start };
}

/** A B2BUA answers a leg with 487 when its other leg (its own call, another Call-ID) ends first. */
const B2BUA_LINK_MS = 5000;

function linkB2buaLegs(results: (CallResult & { call: CallDx })[]): void {
  let byIp: Map<string, CallStart[]> | undefined;
  for (const r of results) {
    for (const d of r.drafts) {
      if (d.code !== "487-without-cancel" || d.details.likeliest !== "uas-ended-itself") continue;
      const ip = d.details.originIp;
      const invite = r.call.messages.find((m) => m.index === d.details.inviteIndex);
      const r487 = r.call.messages.find((m) => m.index === d.details.index487);
      if (!ip || invite?.time == null || r487?.time == null) continue;
      byIp ??= indexStarts(results);
      let best: CallStart | undefined;
      const starts = byIp.get(ip) ?? [];
      // starts are sorted by INVITE time: only those opened between our INVITE and our 487 count
      for (let i = firstAtOrAfter(starts, invite.time); i < starts.length && present(itemAt(starts, i).invite.time) <= r487.time; i++) {
        const o = itemAt(starts, i);
        if (o.callId === r.call.callId || o.end?.time == null) continue;
        if (o.end.time > r487.time || (r487.time - o.end.time) * 1000 > B2BUA_LINK_MS) continue;
        if (!best || o.end.time > present(present(best.end).time)) best = o;
      }
      if (!best) continue;
      const end = present(best.end);
      d.details.otherLegCallId = best.callId;
      // the other leg's own failure answered as 487 here: the B2BUA mapped that final
      if (isMappable(end)) {
        addMappedFinal(d, b2buaMapping(ip, best.invite, end, r487), 0.8, [best.invite.index, end.index]);
        continue;
      }
      const what = end.isRequest ? "was cancelled by it" : `ended with ${end.status}`;
      addCandidate(d, {
        id: "b2bua-other-leg",
        text: `${ip} works as a B2BUA: ${millis(gapMs(invite, best.invite))} after this INVITE arrived it opened its own call ${best.callId} to ${endpointText(best.invite.dst) ?? "the next hop"}, which ${what} ${millis(gapMs(end, r487))} before this 487 — the 487 passes on the end of that leg`,
        likelihood: 0.8,
        evidence: [best.invite.index, end.index],
      });
    }
  }
}

function indexStarts(results: CallResult[]): Map<string, CallStart[]> {
  const out = new Map<string, CallStart[]>();
  for (const r of results) if (r.start?.invite.time != null) listIn(out, r.start.ip).push(r.start);
  for (const list of out.values()) list.sort((a, b) => present(a.invite.time) - present(b.invite.time));
  return out;
}

function firstAtOrAfter(starts: CallStart[], time: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (present(itemAt(starts, mid).invite.time) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function settleByTimer(d: DraftOf<"487-without-cancel">, t: TimerPattern): void {
  d.confidence = Math.max(d.confidence, 0.75);
  d.details.timerPattern = { host: t.host, valueMs: Math.round(t.valueMs), calls: t.count };
  d.explanation += ` ${t.host} ended ${t.count} calls this way ${seconds(t.valueMs)} after the INVITE, so its own no-answer timer is the likeliest cause.`;
}

/**
 * Diagnoses every call of a trace and the patterns across calls. Linear in the number of
 * messages: calls are grouped by Call-ID once and every rule works inside one call.
 */
export function diagnoseTrace(trace: DxTrace): Finding[] {
  const calls = buildCalls(trace.model);
  const results = calls.map((c) => ({ call: c, ...diagnoseCall(c, trace) }));
  const summaries = results.map((r) => r.summary).filter((s): s is CallSummary => s != null);
  const timers = timerPatterns(summaries);

  // A CANCEL from a proxy whose upstream leg is missing reads as a caller hang-up, unless the
  // same proxy cancels at one fixed interval across calls: then it is that timer.
  for (const r of results) {
    const a = r.ambiguous;
    if (!a || a.intervalMs == null) continue;
    const t = timers.find((p) => p.host === a.host && present(a.intervalMs) >= p.loMs && present(a.intervalMs) <= p.hiMs);
    if (!t) continue;
    const i = r.drafts.indexOf(a.draft);
    if (i < 0) continue;
    r.drafts[i] = proxyTimeoutFromPattern(a.draft, t.valueMs, t.count);
    if (r.summary) r.summary.cancelByProxy = true;
  }

  linkB2buaLegs(results);
  explainByOtherLeg(results, trace.model.correlation);
  // the patterns read each call's codes: as the cross-call readings above left them
  for (const r of results) if (r.summary) r.summary.codes = r.drafts.map((d) => d.code);

  // A 487 without CANCEL at the same interval as many others from the same host: that host's timer.
  for (const t of timers.filter((p) => p.draft.details.anchor === "INVITE→487")) {
    const covered = new Set(t.draft.callIds);
    for (const r of results) {
      if (!covered.has(r.call.callId)) continue;
      for (const d of r.drafts) if (d.code === "487-without-cancel" && d.details.likeliest === "uas-ended-itself") settleByTimer(d, t);
    }
  }
  const patternDrafts = [...clusterPatterns(summaries), ...timers.map((t) => t.draft)];

  const ordered = results.sort((a, b) => itemAt(a.call.messages, 0).index - itemAt(b.call.messages, 0).index).flatMap((r) => r.drafts);
  // Numbered once, here, in the order they are listed: patterns first, worst first.
  return orderFindings([...ordered, ...patternDrafts]).map((d, i) => ({ id: `f${i + 1}`, ...d }));
}
