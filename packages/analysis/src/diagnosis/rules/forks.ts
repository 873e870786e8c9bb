import { earliest, firstFinal, forkGroups, type Leg } from "../calls.js";
import { hopText, nextBranch, reasonDetails, type Draft, type TreeFacts } from "../facts.js";
import { gapMs, is2xx, type DxMsg } from "../input.js";
import { BY_MESSAGE_ORDER, list, plural, timed } from "../text.js";
import { itemAt, present } from "../../access.js";

function branchFacts(leg: Leg) {
  const fin = firstFinal(leg);
  const cancel = earliest(leg.cancels);
  const r487 = earliest(leg.responses.filter((r) => r.status === 487));
  return {
    hop: hopText(leg),
    target: leg.invite.requestUri,
    branch: leg.invite.vias[0]?.branch,
    finalStatus: fin?.status,
    cancelIndex: cancel?.index,
    reason: reasonDetails(cancel),
    index487: r487?.index,
  };
}

function indices(...ms: (DxMsg | undefined)[]): number[] {
  return ms.filter((m): m is DxMsg => m != null).map((m) => m.index);
}

/**
 * Forked INVITEs (RFC 3261 §16.7): one 487 per losing branch is the normal clean-up after an
 * answer (fork-branch-lost); every branch ending in 487 with no answer is no-winner.
 */
/**
 * A branch cancelled because the call was answered elsewhere (Reason cause=200, RFC 3326) whose
 * siblings are not in this Call-ID: a ring group or B2BUA rang several phones on separate calls.
 */
function answeredElsewhere(f: TreeFacts): Draft | undefined {
  const c = f.cancels.find((x) => x.cause === "fork-completed" && !x.leg.parent && !forkGroups(f.tree).some((g) => g.includes(x.leg)));
  if (!c || f.twoXX.length) return undefined;
  const r487 = earliest(c.leg.responses.filter((r) => r.status === 487));
  if (!r487) return undefined;
  return {
    code: "fork-branch-lost",
    severity: "info",
    title: "Ringing stopped: the call was answered elsewhere",
    explanation: `${c.leg.uac} cancelled this leg${timed(gapMs(c.leg.invite, c.cancel), (t) => ` ${t} after the INVITE`)} with Reason ${reasonDetails(c.cancel)}: another phone of the same ring group or hunt took the call, so this one answered 487. Normal; the winning leg is a different Call-ID (a B2BUA/PBX rings each phone on its own call).`,
    evidence: [c.leg.invite.index, c.cancel.index, r487.index],
    rfc: ["RFC 3326", "RFC 3261 §9.1"],
    confidence: 0.8,
    callIds: [f.call.callId],
    details: {
      forkingProxy: c.leg.uac,
      reason: reasonDetails(c.cancel),
      losingBranches: [branchFacts(c.leg)],
      winningBranch: undefined,
      siblingsInOtherCalls: true,
    },
  };
}

const untimed = (group: Leg[]) => group.some((l) => l.invite.time == null);

/**
 * Parallel forking sends every branch at once; serial forking sends the next branch when the
 * proxy gives up on one. With times: the INVITEs left within a second of each other. Without
 * (a text export): no branch's INVITE left after a sibling's CANCEL, in the trace's order.
 */
function forkedInParallel(f: TreeFacts, group: Leg[]): boolean {
  if (!untimed(group)) {
    const starts = group.map((l) => present(l.invite.time));
    return Math.max(...starts) - Math.min(...starts) < 1;
  }
  return !group.some((l) => {
    const cancel = earliest(l.cancels);
    return cancel != null && nextBranch(f.tree, l, cancel) != null;
  });
}

export function diagnoseForks(f: TreeFacts): Draft[] {
  if (f.tree.inDialog) return [];
  const out: Draft[] = [];
  const elsewhere = answeredElsewhere(f);
  if (elsewhere) out.push(elsewhere);
  for (const group of forkGroups(f.tree)) {
    const proxy = itemAt(group, 0).uac;
    const winners = group.filter((l) => l.responses.some(is2xx));
    // A branch the proxy cancelled on its own before anyone answered (a per-branch timer, e.g. a
    // serial advance) did not lose to the answer: proxy-timeout explains it.
    const cancelledOnItsOwn = (l: Leg) => f.cancels.some((c) => c.leg === l && c.cause === "own");
    const losers = group.filter(
      (l) => !l.responses.some(is2xx) && (l.cancels.length > 0 || l.responses.some((r) => r.status === 487)) && !(winners.length && cancelledOnItsOwn(l)),
    );
    const parallel = forkedInParallel(f, group);
    if (winners.length && losers.length) {
      const win = itemAt(winners, 0);
      const answer = present(earliest(win.responses.filter(is2xx)));
      const reasons = [...new Set(losers.map((l) => reasonDetails(earliest(l.cancels))).filter(Boolean))];
      const completedElsewhere = losers.some((l) => l.cancels.some((c) => c.reason.some((r) => r.cause === 200)));
      out.push({
        code: "fork-branch-lost",
        severity: "info",
        title: `Forked call answered by one branch; ${plural(losers.length, "other branch", "other branches")} cancelled`,
        explanation: `${proxy} forked the INVITE to ${plural(group.length, "target")}; ${win.invite.requestUri ?? hopText(win)} answered${timed(gapMs(win.invite, answer), (t) => ` after ${t}`)} and the proxy cancelled the rest${reasons.length ? ` (Reason ${reasons.join(", ")})` : ""}, which answered 487. This is normal forking clean-up, not a failure.`,
        evidence: [
          ...new Set([answer.index, ...losers.flatMap((l) => indices(earliest(l.cancels), earliest(l.responses.filter((r) => r.status === 487))))]),
        ].sort((a, b) => a - b),
        rfc: ["RFC 3261 §16.7", "RFC 3261 §9.1", "RFC 3326"],
        confidence: completedElsewhere ? 0.95 : 0.85,
        callIds: [f.call.callId],
        details: {
          forkingProxy: proxy,
          parallel,
          winningBranch: branchFacts(win),
          losingBranches: losers.map(branchFacts),
          answerAfterMs: gapMs(win.invite, answer),
        },
      });
      continue;
    }
    const all487 = group.every((l) => {
      const fin = firstFinal(l);
      return fin ? fin.status === 487 : l.cancels.length > 0;
    });
    const n487 = group.filter((l) => l.responses.some((r) => r.status === 487)).length;
    if (winners.length || !all487 || n487 < 2) continue;
    const by = f.originBy;
    const timer = by === "proxy";
    const ringMs = f.origin ? gapMs(f.origin.leg.invite, f.origin.cancel) : undefined;
    const after = timed(ringMs, (t) => ` after ${t}`);
    const who =
      by === "caller"
        ? `the caller (${present(f.origin).leg.uac}) cancelled${after}: nobody picked up in time`
        : by === "proxy"
          ? `${present(f.origin).leg.uac} cancelled on its own${after}, with no CANCEL from upstream: a timer cut the ringing off, not the caller`
          : by === "upstream-unseen"
            ? `the CANCEL came from ${present(f.origin).leg.uac}, whose upstream leg is not in the trace, so whether the caller gave up or a timer fired is not visible`
            : "no CANCEL was captured";
    out.push({
      code: "no-winner",
      severity: timer ? "warning" : "info",
      title: `Forked call: all ${group.length} branches ended in 487, nobody answered`,
      explanation: `${proxy} rang ${list(group.map((l) => l.invite.requestUri ?? hopText(l)))} ${parallel ? "in parallel" : "one after another"}${untimed(group) ? ` (${BY_MESSAGE_ORDER})` : ""} and every branch ended with 487; ${who}. ${timer ? "Check the proxy's ringing timer against how long the group should ring." : "Check whether the targets were reachable and ringing (a 180 Ringing on each branch)."}`,
      evidence: [...new Set(group.flatMap((l) => indices(l.invite, earliest(l.cancels), earliest(l.responses.filter((r) => r.status === 487)))))].sort(
        (a, b) => a - b,
      ),
      rfc: ["RFC 3261 §16.7", "RFC 3261 §16.10", "RFC 3261 §9.2"],
      confidence: by === "upstream-unseen" || !by ? 0.6 : 0.9,
      callIds: [f.call.callId],
      details: {
        forkingProxy: proxy,
        parallel,
        cancelledBy: by ?? "unknown",
        cancelOriginHost: f.origin?.leg.uac,
        ringTimeMs: ringMs,
        losingBranches: group.map(branchFacts),
        rangBranches: group.filter((l) => l.responses.some((r) => r.status === 180 || r.status === 183)).length,
      },
    });
  }
  return out;
}
