import { earliest, firstFinal, type CallDx, type Leg } from "../calls.js";
import { hopText, type Draft } from "../facts.js";
import { before, endpointText, sentBy, txHopKey, type DxMsg } from "../input.js";
import { list, plural } from "../text.js";
import { itemAt, listIn, present } from "../../access.js";

function responsesOf(call: CallDx, cancel: DxMsg): DxMsg[] {
  const key = txHopKey(cancel);
  return call.strayCancelResponses.filter((r) => txHopKey(r) === key);
}

/** A CANCEL and its retransmissions: one transaction, one finding. */
function cancelTransactions(call: CallDx): DxMsg[][] {
  const byTx = new Map<string, DxMsg[]>();
  for (const c of call.strayCancels) {
    const key = c.transactionId ?? txHopKey(c);
    listIn(byTx, key).push(c);
  }
  return [...byTx.values()];
}

const DEFAULT_PORT: Record<string, number> = { udp: 5060, tcp: 5060, sctp: 5060, tls: 5061, ws: 80, wss: 443 };

/** One field that a CANCEL must copy from its INVITE (RFC 3261 §9.1) but did not. */
type CancelMismatch = {
  field: string;
  cancel: string;
  invite: string;
  /** Why the difference matters, when it is not obvious. */
  note?: string;
};

/**
 * The fields by which a server matches a CANCEL to its INVITE (top Via branch and sent-by,
 * RFC 3261 §17.2.3) and those the CANCEL must copy (Request-URI, From tag, CSeq number, §9.1),
 * each compared as written.
 */
function cancelMismatches(invite: DxMsg, cancel: DxMsg): CancelMismatch[] {
  const out: CancelMismatch[] = [];
  const iv = invite.vias[0];
  const cv = cancel.vias[0];
  const show = (v: string | undefined) => v ?? "(none)";
  if (iv?.branch !== cv?.branch) out.push({ field: "Via branch", cancel: show(cv?.branch), invite: show(iv?.branch) });
  const iSent = sentBy(iv);
  const cSent = sentBy(cv);
  if (iv && cv && iSent?.toLowerCase() !== cSent?.toLowerCase()) {
    const defaultPort = DEFAULT_PORT[(iv.transport || cv.transport).toLowerCase()];
    const onlyPortWritten = iv.host.toLowerCase() === cv.host.toLowerCase() && (iv.port ?? defaultPort) === (cv.port ?? defaultPort);
    out.push({
      field: "Via sent-by",
      cancel: show(cSent),
      invite: show(iSent),
      note: onlyPortWritten
        ? `the same address once the default port ${defaultPort} is filled in, but a server that compares sent-by as written matches no INVITE`
        : iv.host.toLowerCase() === cv.host.toLowerCase()
          ? `another port: a missing port means ${defaultPort ?? "the default"}`
          : undefined,
    });
  }
  if (iv && cv && iv.transport.toLowerCase() !== cv.transport.toLowerCase()) out.push({ field: "Via transport", cancel: cv.transport, invite: iv.transport });
  if ((invite.requestUri ?? "") !== (cancel.requestUri ?? ""))
    out.push({ field: "Request-URI", cancel: show(cancel.requestUri), invite: show(invite.requestUri) });
  if ((invite.fromTag ?? "") !== (cancel.fromTag ?? "")) out.push({ field: "From tag", cancel: show(cancel.fromTag), invite: show(invite.fromTag) });
  if (invite.cseqSeq !== cancel.cseqSeq) out.push({ field: "CSeq number", cancel: String(cancel.cseqSeq), invite: String(invite.cseqSeq) });
  return out;
}

function mismatchText(m: CancelMismatch): string {
  return `${m.field} ${m.cancel} where the INVITE has ${m.invite}${m.note ? ` (${m.note})` : ""}`;
}

/** What became of the INVITE the CANCEL was meant for: ringing on, ended some other way, or left pending. */
function inviteFate(leg: Leg | undefined, cancel: DxMsg): string {
  if (!leg) return "the INVITE was not cancelled";
  const ringing = leg.responses.some((r) => r.status != null && r.status > 100 && r.status < 200 && before(r, cancel));
  const fin = firstFinal(leg);
  if (fin) return `the INVITE was not cancelled: it ${ringing ? "rang on" : "ran on"} until it ended with ${fin.status}`;
  // only a 1xx above 100 says the callee rings; a 100 Trying is the next hop's receipt
  return ringing ? "the callee side keeps ringing" : "the INVITE was not cancelled";
}

/**
 * CANCELs that matched no INVITE (RFC 3261 §9.2: answered 481, or dropped by a proxy). Either the
 * INVITE is not in the capture, or a field the match rests on differs (then alg-suspect may apply).
 */
export function diagnoseUnmatchedCancels(call: CallDx): Draft[] {
  const out: Draft[] = [];
  for (const copies of cancelTransactions(call)) {
    const cancel = present(earliest(copies));
    const answers = responsesOf(call, cancel);
    const got481 = answers.some((r) => r.status === 481);
    // An INVITE on the same hop with the same CSeq: the CANCEL should have carried its branch.
    const leg = call.trees
      .filter((t) => t.cseqSeq === cancel.cseqSeq)
      .flatMap((t) => t.legs)
      .find((l) => (!cancel.src || !l.invite.src || (l.invite.src.ip === cancel.src.ip && l.invite.dst?.ip === cancel.dst?.ip)) && before(l.invite, cancel));
    const invite = leg?.invite;
    if (!invite && !got481) continue; // the INVITE simply predates the capture
    const evidence = [...new Set([...copies.map((c) => c.index), ...answers.map((r) => r.index), ...(invite ? [invite.index] : [])])].sort((a, b) => a - b);
    const statuses = [...new Set(answers.map((r) => r.status))];
    const answered = statuses.length ? `answered ${statuses.join("/")}` : "never answered";
    const sent = copies.length > 1 ? `sent ${plural(copies.length, "time")} and ${answered}` : answered;
    const diffs = invite ? cancelMismatches(invite, cancel) : [];
    const from = endpointText(cancel.src) ?? "the caller";
    let explanation: string;
    if (!invite) {
      explanation = `The CANCEL was answered 481 Call/Transaction Does Not Exist and its INVITE is not in the capture: the receiver had no INVITE transaction with that branch either (it may have ended already, or the CANCEL went to the wrong host). Capture from before the INVITE to see which.`;
    } else if (diffs.length) {
      explanation =
        `The CANCEL from ${from} (${sent}) has ${list(diffs.map(mismatchText))}. ` +
        `A CANCEL is matched to its INVITE by the top Via branch and sent-by (RFC 3261 §17.2.3) and must copy the INVITE's Request-URI, From, CSeq number (§9.1), so ${endpointText(cancel.dst) ?? "the receiver"} found nothing to cancel and ${inviteFate(leg, cancel)}. ` +
        `Fix the ${itemAt(diffs, 0).field} the caller writes into its CANCEL, or look for a middlebox rewriting it.`;
    } else {
      explanation = `The CANCEL from ${from} (${sent}) copies the INVITE's Via branch, sent-by, Request-URI, From tag and CSeq, yet it was not matched to the INVITE and ${inviteFate(leg, cancel)}. Compare both messages as the receiver saw them (a middlebox in between may change them).`;
    }
    out.push({
      code: "cancel-unmatched",
      severity: "warning",
      title: got481
        ? "CANCEL matched no INVITE (481)"
        : diffs.length
          ? `CANCEL matched no INVITE: its ${itemAt(diffs, 0).field} differs`
          : "CANCEL matched no INVITE",
      explanation,
      evidence,
      rfc: ["RFC 3261 §9.1", "RFC 3261 §9.2", "RFC 3261 §17.2.3"],
      confidence: invite ? (diffs.length ? 0.8 : 0.6) : 0.5,
      callIds: [call.callId],
      details: {
        cancelBranch: cancel.vias[0]?.branch,
        inviteBranch: invite?.vias[0]?.branch,
        cancelSentBy: sentBy(cancel.vias[0]),
        inviteSentBy: sentBy(invite?.vias[0]),
        differs: diffs,
        transmissions: copies.length,
        answeredWith: answers.flatMap((r) => r.status ?? []),
        inviteCaptured: invite != null,
      },
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
      const cancel = present(earliest(leg.cancels));
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
