import type { Candidate as StoredCandidate } from "@siplens/contracts";
import { earliest, type Leg } from "../calls.js";
import { hopText, type Draft, type TreeFacts, type WithoutCancelDraft } from "../facts.js";
import { before, endpointText, gapMs } from "../input.js";
import { millis, seconds, timed } from "../text.js";
import { is487After2xx } from "./after-2xx.js";
import { describeMappedFinal, mappedFinal, mappedFinalCandidateText, type MappedFinal } from "./final-mapped.js";
import { itemAt, present } from "../../access.js";

/** One reading of the 487, stored in the finding's `candidates`. */
export type Candidate = StoredCandidate & {
  id: "final-mapped" | "reinvite-ended-by-bye" | "proxy-cancelled-branch" | "invite-expires" | "b2bua-other-leg" | "uas-ended-itself" | "cancel-not-captured";
};

function descendants(leg: Leg): Leg[] {
  const out: Leg[] = [];
  const stack = [...leg.children];
  while (stack.length) {
    const l = present(stack.pop());
    out.push(l);
    stack.push(...l.children);
  }
  return out;
}

function ancestorCancelled(leg: Leg): boolean {
  for (let p = leg.parent; p; p = p.parent) if (p.cancels.length) return true;
  return false;
}

/** The deepest captured leg the 487 came up from: its UAS is where the 487 was born. */
function originLeg(leg: Leg): Leg {
  let cur = leg;
  for (;;) {
    const next = cur.children.find((c) => c.responses.some((r) => r.status === 487) && !c.cancels.length);
    if (!next) return cur;
    cur = next;
  }
}

/**
 * A 487 with no CANCEL for its INVITE (RFC 3261 §9.2 expects one). Lists the explanations the
 * trace supports — never a cause it cannot show — and ranks them.
 */
export function diagnoseWithoutCancel(f: TreeFacts): Draft[] {
  const tops = f.tree.legs.filter((leg) => {
    // a 487 after the INVITE was answered is no missing CANCEL: 487-after-2xx reports that UAS
    if (leg.cancels.length || !leg.responses.some((r) => r.status === 487) || ancestorCancelled(leg) || is487After2xx(leg)) return false;
    const p = leg.parent;
    return !(p && !p.cancels.length && p.responses.some((r) => r.status === 487));
  });
  const out: Draft[] = [];
  for (const leg of tops) {
    const r487 = present(earliest(leg.responses.filter((r) => r.status === 487)));
    const afterMs = gapMs(leg.invite, r487);
    const candidates: Candidate[] = [];
    const born = originLeg(leg);
    const born487 = present(earliest(born.responses.filter((r) => r.status === 487)));
    const mapped = mappedFinal(born, born487);
    if (mapped) candidates.push({ id: "final-mapped", text: mappedFinalCandidateText(mapped), likelihood: 0.9, evidence: [mapped.final.index] });
    if (leg.inDialog) {
      const bye = earliest(f.call.byes.filter((b) => before(leg.invite, b) && before(b, r487)));
      if (bye)
        candidates.push({
          id: "reinvite-ended-by-bye",
          text: `the re-INVITE was still pending when a BYE ended the dialog${timed(gapMs(bye, r487), (t) => ` ${t}`, millis)} before the 487 — RFC 3261 §15.1.2 says to answer it 487, so this is normal`,
          likelihood: 0.9,
          evidence: [bye.index],
        });
    }
    // A CANCEL below this leg whose own upstream leg had none: the proxy decided by itself.
    const own = descendants(leg).filter((d) => d.cancels.length > 0 && (!d.parent || !d.parent.cancels.length));
    if (own.length) {
      const c = present(earliest(own.flatMap((d) => d.cancels)));
      candidates.push({
        id: "proxy-cancelled-branch",
        text: `${itemAt(own, 0).uac} cancelled its own branch${timed(gapMs(itemAt(own, 0).invite, c), (t) => ` ${t}`)} after forwarding the INVITE and reported the result upstream as 487 instead of 408 — a proxy timer, not the caller`,
        likelihood: 0.85,
        evidence: [c.index],
      });
    }
    const expires = leg.invite.expires ?? f.tree.legs[0]?.invite.expires;
    if (expires != null && afterMs != null && Math.abs(afterMs - expires * 1000) <= Math.max(1000, expires * 100))
      candidates.push({
        id: "invite-expires",
        text: `the INVITE carried Expires: ${expires} and the 487 came ${seconds(afterMs)} later — the UAS ended the unanswered INVITE when it expired (RFC 3261 §13.3.1)`,
        likelihood: 0.8,
        evidence: [leg.invite.index],
      });
    const bornAt = endpointText(born.invite.dst) ?? "the UAS";
    if (!candidates.length || candidates.every((c) => c.likelihood < 0.8)) {
      const rang = born.responses.some((r) => r.status === 180 || r.status === 183);
      candidates.push({
        id: "uas-ended-itself",
        text: `${bornAt} ended the INVITE itself${rang ? " after ringing" : ""} — typical of a B2BUA/SBC whose other leg was cancelled, or of its own no-answer timer`,
        likelihood: f.trace.oneSided ? 0.45 : 0.55,
        evidence: [],
      });
      candidates.push({
        id: "cancel-not-captured",
        text: `a CANCEL was sent on a path or leg the capture did not see (another interface, TLS, or a hop before ${leg.uac})`,
        likelihood: f.trace.oneSided ? 0.4 : 0.3,
        evidence: [],
      });
    }
    const relayed = born !== leg ? ` The 487 came from ${bornAt} and was relayed back towards ${leg.uac}.` : "";
    const intro = `${endpointText(r487.src) ?? "The far side"} answered the ${leg.inDialog ? "re-INVITE" : "INVITE"} from ${leg.uac} with 487 although no CANCEL for it appears anywhere in the trace.${relayed}`;
    const d: WithoutCancelDraft = {
      code: "487-without-cancel",
      severity: "warning",
      title: "",
      explanation: "",
      evidence: [leg.invite.index, r487.index, born487.index],
      rfc: [],
      confidence: 0,
      callIds: [f.call.callId],
      details: {
        hop: hopText(leg),
        afterInviteMs: afterMs,
        originHost: bornAt,
        originIp: born.invite.dst?.ip,
        inviteIndex: born.invite.index,
        index487: born487.index,
        candidates: [],
      },
    };
    intros.set(d, intro);
    if (mapped) mappings.set(d, mapped);
    for (const c of candidates) addCandidate(d, c);
    out.push(d);
  }
  return out;
}

/** The opening sentence of each finding, kept aside so re-ranking can rebuild the explanation. */
const intros = new WeakMap<WithoutCancelDraft, string>();
/** The downstream final a proxy turned into this 487, when the trace shows one. */
const mappings = new WeakMap<WithoutCancelDraft, MappedFinal>();

/** Adds the reading "this 487 replaced that final" (found across calls, e.g. a B2BUA's other leg). */
export function addMappedFinal(d: WithoutCancelDraft, m: MappedFinal, likelihood: number, evidence: number[]): void {
  mappings.set(d, m);
  addCandidate(d, { id: "final-mapped", text: mappedFinalCandidateText(m), likelihood, evidence });
}

/** Adds an explanation to a 487-without-cancel finding and re-ranks: confidence follows the margin between the best two. */
export function addCandidate(d: WithoutCancelDraft, c: Candidate): void {
  const candidates = [...(d.details.candidates ?? []), c].sort((a, b) => b.likelihood - a.likelihood);
  const best = itemAt(candidates, 0);
  const second = candidates[1];
  const isBye = best.id === "reinvite-ended-by-bye";
  const afterMs = d.details.afterInviteMs;
  d.details.candidates = candidates;
  d.details.likeliest = best.id;
  d.evidence = [...new Set([...d.evidence, ...c.evidence])].sort((a, b) => a - b);
  d.confidence = second && second.likelihood >= best.likelihood - 0.15 ? Math.min(best.likelihood, 0.6) : best.likelihood;
  const mapped = mappings.get(d);
  if (best.id === "final-mapped" && mapped) {
    describeMappedFinal(
      d,
      mapped,
      candidates.slice(1).map((x) => x.text),
    );
    return;
  }
  d.code = "487-without-cancel";
  d.severity = isBye ? "info" : "warning";
  d.rfc = isBye ? ["RFC 3261 §15.1.2"] : ["RFC 3261 §9.2", "RFC 3261 §15.1.2", "RFC 3261 §13.3.1"];
  d.title = isBye
    ? "Pending re-INVITE ended by BYE (487, no CANCEL)"
    : `487 without any CANCEL${afterMs != null ? `, ${seconds(afterMs)} after the INVITE` : ""}`;
  d.explanation =
    `${intros.get(d) ?? ""} Likeliest: ${best.text}.` +
    (second
      ? ` Also possible: ${candidates
          .slice(1)
          .map((x) => x.text)
          .join("; ")}.`
      : "");
}
