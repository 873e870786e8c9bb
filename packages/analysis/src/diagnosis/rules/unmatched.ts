import { earliest, type CallDx } from "../calls.js";
import { hopText, type Draft } from "../facts.js";
import { before, endpointText, viaKey, type DxMsg } from "../input.js";

function responsesOf(call: CallDx, cancel: DxMsg): DxMsg[] {
  const key = viaKey(cancel.vias[0]);
  return call.strayCancelResponses.filter((r) => viaKey(r.vias[0]) === key);
}

/**
 * CANCELs that matched no INVITE (RFC 3261 §9.2: answered 481). Either the INVITE is not in the
 * capture, or something changed the Via branch between them (then alg-suspect too).
 */
export function diagnoseUnmatchedCancels(call: CallDx): Draft[] {
  const out: Draft[] = [];
  for (const cancel of call.strayCancels) {
    const answers = responsesOf(call, cancel);
    const got481 = answers.some((r) => r.status === 481);
    // An INVITE on the same hop with the same CSeq: the CANCEL should have carried its branch.
    const invite = call.trees
      .filter((t) => t.cseqSeq === cancel.cseqSeq)
      .flatMap((t) => t.legs)
      .find((l) => (!cancel.src || !l.invite.src || (l.invite.src.ip === cancel.src.ip && l.invite.dst?.ip === cancel.dst?.ip)) && before(l.invite, cancel))?.invite;
    if (!invite && !got481) continue; // the INVITE simply predates the capture
    const evidence = [...new Set([cancel.index, ...answers.map((r) => r.index), ...(invite ? [invite.index] : [])])].sort((a, b) => a - b);
    out.push({
      code: "cancel-unmatched",
      severity: "warning",
      title: got481 ? "CANCEL matched no INVITE (481)" : "CANCEL with a branch no INVITE had",
      explanation: invite
        ? `The CANCEL from ${endpointText(cancel.src) ?? "the caller"} carries Via branch ${cancel.vias[0]?.branch ?? "(none)"}, but the INVITE it should cancel on that hop used ${invite.vias[0]?.branch ?? "(none)"}; RFC 3261 §9.1 requires the same branch, so the callee ${got481 ? "answered 481 and " : ""}keeps ringing. A UA bug or a middlebox rewriting Via is the cause — compare the two messages' Via headers.`
        : `The CANCEL was answered 481 Call/Transaction Does Not Exist and its INVITE is not in the capture: the receiver had no INVITE transaction with that branch either (it may have ended already, or the CANCEL went to the wrong host). Capture from before the INVITE to see which.`,
      evidence,
      rfc: ["RFC 3261 §9.1", "RFC 3261 §9.2"],
      confidence: invite ? 0.8 : 0.5,
      callIds: [call.callId],
      details: { cancelBranch: cancel.vias[0]?.branch, inviteBranch: invite?.vias[0]?.branch, answeredWith: answers.map((r) => r.status), inviteCaptured: invite != null },
    });
  }
  // A CANCEL that matched its INVITE by branch, yet the receiver answered 481 while the INVITE was still pending.
  for (const tree of call.trees) {
    for (const leg of tree.legs) {
      const r481 = earliest(leg.cancelResponses.filter((r) => r.status === 481));
      if (!r481) continue;
      const finalBefore = leg.responses.some((r) => (r.status ?? 0) >= 200 && before(r, r481));
      const finalLater = leg.responses.some((r) => (r.status ?? 0) >= 200);
      if (finalBefore || finalLater) continue; // a race or a late CANCEL: explained elsewhere
      const cancel = earliest(leg.cancels)!;
      out.push({
        code: "cancel-unmatched",
        severity: "warning",
        title: "CANCEL answered 481 while the INVITE was still pending",
        explanation: `${endpointText(r481.src) ?? "The UAS"} answered the CANCEL on ${hopText(leg)} with 481 although its INVITE had no final response: it did not find the INVITE transaction the CANCEL names. Compare the Via, From/To and CSeq of the INVITE and CANCEL as they arrived there — a rewriting middlebox or a UAS bug.`,
        evidence: [leg.invite.index, cancel.index, r481.index].sort((a, b) => a - b),
        rfc: ["RFC 3261 §9.2", "RFC 3261 §17.2.3"],
        confidence: 0.7,
        callIds: [call.callId],
        details: { hop: hopText(leg), cancelBranch: cancel.vias[0]?.branch },
      });
    }
  }
  return out;
}
