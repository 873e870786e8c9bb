import { earliest, type Leg } from "../calls.js";
import { hopText, type Draft, type TreeFacts } from "../facts.js";
import { before, endpointText, gapMs, is2xx, sentBy, type DxMsg } from "../input.js";
import { plural, seconds } from "../text.js";

/** The first 2xx of a leg that came before its first 487: the INVITE was answered, then "terminated". */
function answeredThen487(leg: Leg): { answer: DxMsg; r487: DxMsg } | undefined {
  const r487 = earliest(leg.responses.filter((r) => r.status === 487));
  const answer = r487 && earliest(leg.responses.filter((r) => is2xx(r) && before(r, r487)));
  return answer && r487 ? { answer, r487 } : undefined;
}

/** True when the 487 on this leg follows a 2xx on it: 487-after-2xx explains it, no CANCEL is missing. */
export function is487After2xx(leg: Leg): boolean {
  return answeredThen487(leg) != null;
}

/**
 * A UAS that sends 487 for an INVITE it already answered with 2xx (RFC 3261 §13.3.1.4,
 * §17.2.1: the 2xx ends the INVITE server transaction, no other final may follow; RFC 6026
 * keeps it in "Accepted" only to retransmit the 2xx). Reported on the deepest leg where it
 * happens: that leg's UAS is the one at fault.
 */
export function diagnose487After2xx(f: TreeFacts): Draft[] {
  const out: Draft[] = [];
  for (const leg of f.tree.legs) {
    const hit = answeredThen487(leg);
    if (!hit || leg.children.some(is487After2xx)) continue;
    const { answer, r487 } = hit;
    const uas = endpointText(r487.src) ?? endpointText(leg.invite.dst) ?? "the UAS";
    const copies = leg.responses.filter((r) => is2xx(r) && r.toTag === answer.toTag);
    // ACKs of the 2xx are their own transaction (new branch): match them by CSeq and sender
    const acks = f.call.otherAcks.filter((a) => a.cseqSeq === f.tree.cseqSeq && sentBy(a.vias[0]) === leg.uac && before(answer, a));
    const firstAck = earliest(acks);
    const againAfterAck = firstAck ? copies.filter((c) => before(firstAck, c)) : [];
    const bye = earliest(f.call.byes.filter((b) => before(answer, b) && before(b, r487)));
    const ackText = firstAck
      ? againAfterAck.length
        ? ` It sent the ${answer.status} ${plural(copies.length, "time")}, ${plural(againAfterAck.length, "copy", "copies")} after ${leg.uac}'s ACK: it never matched that ACK (check how it matches ACKs for 2xx, and the ACK's Request-URI/Route, which follow the 2xx's Contact and Record-Route).`
        : ` ${leg.uac} ACKed the ${answer.status}.`
      : ` No ACK for the ${answer.status} was captured.`;
    const byeText = bye
      ? ` The 487 answers the INVITE after the BYE came in: ${uas} treated the INVITE as still pending, but RFC 3261 §15.1.2 (answer a pending request 487 on BYE) does not apply to an INVITE that was answered.`
      : "";
    out.push({
      code: "487-after-2xx",
      severity: "error",
      title: `${uas} sent 487 after answering the INVITE with ${answer.status}`,
      explanation:
        `${uas} answered the INVITE with ${answer.status}${answer.reasonPhrase ? ` ${answer.reasonPhrase}` : ""} and ${gapMs(answer, r487) != null ? `${seconds(gapMs(answer, r487))} later ` : "later "}sent 487 Request Terminated for the same INVITE (CSeq ${leg.cseqSeq}). ` +
        `Once a UAS has sent a 2xx the INVITE is over: it may only retransmit the 2xx until the ACK comes (RFC 3261 §13.3.1.4, §17.2.1; RFC 6026), never send another final.${ackText}${byeText} ` +
        "The call itself was set up; the 487 is a fault in that UAS's transaction handling. It is harmless only if the peer ignores it, and it shows as a failed call in records that look at the last final.",
      evidence: [
        ...new Set([answer.index, ...againAfterAck.map((c) => c.index), ...(firstAck ? [firstAck.index] : []), ...(bye ? [bye.index] : []), r487.index]),
      ].sort((a, b) => a - b),
      rfc: ["RFC 3261 §13.3.1.4", "RFC 3261 §17.2.1", "RFC 3261 §15.1.2", "RFC 6026"],
      confidence: 0.95,
      callIds: [f.call.callId],
      details: {
        hop: hopText(leg),
        uas,
        answerStatus: answer.status,
        answerIndex: answer.index,
        index487: r487.index,
        answerTo487Ms: gapMs(answer, r487),
        answerTransmissions: copies.length,
        ackIndex: firstAck?.index,
        answerCopiesAfterAck: againAfterAck.length,
        byeIndex: bye?.index,
      },
    });
  }
  return out;
}
