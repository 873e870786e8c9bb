import { firstFinal, type Leg } from "../calls.js";
import type { WithoutCancelDraft } from "../facts.js";
import { before, endpointText, gapMs, type DxMsg } from "../input.js";
import { BY_MESSAGE_ORDER, millis, timed } from "../text.js";

/** A downstream final a proxy or B2BUA replaced with 487 when it answered upstream. */
export interface MappedFinal {
  /** "proxy" when the downstream branch is chained by Via; "B2BUA" when it is its own call. */
  role: "proxy" | "B2BUA";
  /** The host that got the real answer and sent the 487 instead. */
  mapper: string;
  /** Where the real answer came from. */
  callee: string;
  /** The downstream INVITE that got the real answer. */
  invite: DxMsg;
  /** Its final response (603, 486, 480 …). */
  final: DxMsg;
  /** The 487 sent upstream instead. */
  r487: DxMsg;
}

/** A B2BUA's own outgoing call (`invite`, another Call-ID) ended with `final`, answered upstream as `r487`. */
export function b2buaMapping(mapper: string, invite: DxMsg, final: DxMsg, r487: DxMsg): MappedFinal {
  return { role: "B2BUA", mapper, callee: endpointText(invite.dst) ?? "the next hop", invite, final, r487 };
}

/**
 * The real final behind a 487 nobody asked for: a leg below the one that answered 487 (the
 * proxy's downstream branch) ended with another non-2xx final before that 487, and no CANCEL
 * went down that branch. A 487 is only for a cancelled request (RFC 3261 §9.2, §15.1.2), so the
 * proxy rewrote the answer instead of forwarding the best response (§16.7 step 6).
 */
export function mappedFinal(born: Leg, r487: DxMsg): MappedFinal | undefined {
  let best: MappedFinal | undefined;
  for (const child of born.children) {
    if (child.cancels.length) continue;
    const fin = firstFinal(child);
    if (!fin || !isMappable(fin) || !before(fin, r487)) continue;
    // the latest such final is the one the proxy was answering for
    if (!best || before(best.final, fin))
      best = { role: "proxy", mapper: child.uac, callee: endpointText(child.invite.dst) ?? "the next hop", invite: child.invite, final: fin, r487 };
  }
  return best;
}

/** A final that a 487 can only have replaced: a failure other than 487 itself. */
export function isMappable(fin: DxMsg): boolean {
  return !fin.isRequest && (fin.status ?? 0) >= 300 && fin.status !== 487;
}

function statusText(m: DxMsg): string {
  return `${m.status}${m.reasonPhrase ? ` ${m.reasonPhrase}` : ""}`;
}

/** The sentence that ranks this reading among the other explanations of a 487 without CANCEL. */
export function mappedFinalCandidateText(m: MappedFinal): string {
  const via = m.role === "B2BUA" ? ` on ${m.mapper}'s own call ${m.invite.callId}` : "";
  return `${m.callee} answered ${statusText(m.final)}${via} and ${m.mapper} passed it upstream as 487${timed(gapMs(m.final, m.r487), (t) => ` ${t} later`, millis)}`;
}

/** Title, text and references of a final-mapped-to-487 finding (the others come from the ranked candidates). */
export function describeMappedFinal(d: WithoutCancelDraft, m: MappedFinal, alsoPossible: string[]): void {
  const proxy = m.mapper;
  const callee = m.callee;
  const caller = endpointText(m.r487.dst) ?? "upstream";
  const leg = m.role === "B2BUA" ? ` on ${proxy}'s own outgoing call (${m.invite.callId})` : "";
  d.code = "final-mapped-to-487";
  d.severity = "warning";
  d.rfc = m.role === "proxy" ? ["RFC 3261 §16.7", "RFC 3261 §9.2", "RFC 3261 §15.1.2"] : ["RFC 3261 §9.2", "RFC 3261 §15.1.2"];
  d.title = `${m.role === "B2BUA" ? "B2BUA" : "Proxy"} ${proxy} mapped ${statusText(m.final)} to 487`;
  d.explanation =
    `${callee} answered ${statusText(m.final)}${timed(gapMs(m.invite, m.final), (t) => ` after ${t}`)}${leg}, and ${timed(gapMs(m.final, m.r487), (t) => `${t} later`, millis) || `then (${BY_MESSAGE_ORDER})`} ${proxy} answered ${caller} with 487 Request Terminated — yet nobody sent a CANCEL. ` +
    `A 487 says "cancelled at your request" (RFC 3261 §9.2), so upstream sees a cancellation where the callee ${m.final.status === 603 ? "declined" : `answered ${m.final.status}`}: the real cause is lost for the caller, for forward-on-busy/decline logic and for call records. ` +
    (m.role === "B2BUA"
      ? `Check how ${proxy} maps the outcome of its outgoing leg to the incoming one (hang-up cause → SIP status): it should answer with the ${m.final.status} (or the matching cause), not 487.`
      : `Check the proxy's failure route (e.g. a Kamailio failure_route that calls t_reply("487")): it should forward the best final (RFC 3261 §16.7 step 6), here the ${m.final.status}.`) +
    (alsoPossible.length ? ` Also possible: ${alsoPossible.join("; ")}.` : "");
  d.details.mappedStatus = m.final.status;
  d.details.mappedIndex = m.final.index;
  d.details.mappingProxy = proxy;
  d.details.mappingRole = m.role;
  d.details.mappedAfterMs = gapMs(m.final, m.r487);
}
