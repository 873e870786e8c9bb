import type { Finding, FindingCode } from "@siplens/contracts";
import { earliest, type CallDx, type InviteTree, type Leg } from "./calls.js";
import { before, endpointText, is2xx, type DxMsg, type DxTrace } from "./input.js";
import { present } from "../access.js";

/** A finding before ids are given: rules produce these, engine.ts numbers them. Typed by code, as findingSchema. */
export type Draft = Finding extends infer F ? (F extends Finding ? Omit<F, "id"> : never) : never;
/** The draft of one code. */
export type DraftOf<C extends FindingCode> = Extract<Draft, { code: C }>;
/**
 * A 487 without CANCEL while its readings are ranked: the likeliest names the code
 * (final-mapped-to-487 when a proxy's mapping of another final wins), so the code changes in place.
 */
export type WithoutCancelDraft = Omit<DraftOf<"487-without-cancel">, "code"> & { code: "487-without-cancel" | "final-mapped-to-487" };

/** Why a CANCEL was sent on its leg, as far as the trace shows. */
type CancelCause =
  | "upstream" // the leg's upstream leg was cancelled first: relayed (RFC 3261 §16.10)
  | "fork-completed" // a sibling branch was answered: the proxy cleans up (§16.7 step 10)
  | "own"; // nothing upstream asked for it: the leg's UAC decided itself

/** Who took the decision that ended the INVITE. */
type CancelOrigin = "caller" | "proxy" | "upstream-unseen";

export interface CancelInfo {
  leg: Leg;
  cancel: DxMsg;
  cause: CancelCause;
}

export interface TreeFacts {
  call: CallDx;
  tree: InviteTree;
  trace: DxTrace;
  cancels: CancelInfo[];
  /** The first CANCEL nobody upstream asked for: the decision that ended the call. */
  origin?: CancelInfo;
  originBy?: CancelOrigin;
  /** Every CANCEL decided on its own (a timer can fire on several fork branches). */
  ownCancels: CancelInfo[];
  twoXX: DxMsg[];
  has487: boolean;
}

function reasonIsForkCompletion(m: DxMsg): boolean {
  return m.reason.some((r) => r.protocol.toUpperCase() === "SIP" && r.cause === 200) || m.reason.some((r) => /completed elsewhere/i.test(r.text ?? ""));
}

function siblings(tree: InviteTree, leg: Leg): Leg[] {
  if (!leg.parentKey) return [];
  return tree.legs.filter((l) => l !== leg && l.parentKey === leg.parentKey);
}

function cancelCause(tree: InviteTree, leg: Leg, cancel: DxMsg): CancelCause {
  if (leg.parent && leg.parent.cancels.some((pc) => before(pc, cancel))) return "upstream";
  if (reasonIsForkCompletion(cancel)) return "fork-completed";
  const answeredSibling = siblings(tree, leg).some((s) => s.responses.some((r) => is2xx(r) && before(r, cancel)));
  if (answeredSibling) return "fork-completed";
  return "own";
}

/**
 * How far before a branch's CANCEL the next branch's INVITE may leave and still be the same
 * decision: one timer event makes a proxy send both (Kamailio sends the next INVITE first).
 */
const SERIAL_SLACK_S = 0.5;

/**
 * The branch a proxy tried when it gave up on `leg` (serial forking, RFC 3261 §16.6): a sibling
 * whose INVITE left at the time of `leg`'s CANCEL or later, not with `leg`'s INVITE. Read off the
 * trace's order, never assumed: siblings started together are parallel forking.
 */
export function nextBranch(tree: InviteTree, leg: Leg, cancel: DxMsg): Leg | undefined {
  let best: Leg | undefined;
  for (const s of siblings(tree, leg)) {
    if (!before(leg.invite, s.invite) || !startedOnGivingUp(leg, cancel, s.invite)) continue;
    if (!best || before(s.invite, best.invite)) best = s;
  }
  return best;
}

function startedOnGivingUp(leg: Leg, cancel: DxMsg, next: DxMsg): boolean {
  const t0 = leg.invite.time;
  const tc = cancel.time;
  const tn = next.time;
  if (t0 != null && tc != null && tn != null) return tn >= tc - SERIAL_SLACK_S && tn - t0 > tc - tn;
  // no times: after the CANCEL, or at least after the first branch answered provisionally
  return before(cancel, next) || leg.responses.some((r) => (r.status ?? 0) > 100 && (r.status ?? 0) < 200 && before(r, next));
}

function originOf(leg: Leg): CancelOrigin {
  if (leg.parent) return "proxy";
  return leg.invite.vias.length <= 1 ? "caller" : "upstream-unseen";
}

export function treeFacts(call: CallDx, tree: InviteTree, trace: DxTrace): TreeFacts {
  const cancels: CancelInfo[] = [];
  let has487 = false;
  const twoXX: DxMsg[] = [];
  for (const leg of tree.legs) {
    const c = earliest(leg.cancels);
    if (c) cancels.push({ leg, cancel: c, cause: cancelCause(tree, leg, c) });
    for (const r of leg.responses) {
      if (r.status === 487) has487 = true;
      else if (is2xx(r)) twoXX.push(r);
    }
  }
  const ownCancels = cancels.filter((c) => c.cause === "own").sort((a, b) => (before(a.cancel, b.cancel) ? -1 : 1));
  const origin = ownCancels[0];
  return { call, tree, trace, cancels, origin, originBy: origin ? originOf(origin.leg) : undefined, ownCancels, twoXX, has487 };
}

export function hopText(leg: Leg): string {
  const to = endpointText(leg.invite.dst) ?? hostOfUri(leg.invite.requestUri) ?? "?";
  const from = leg.invite.src ? present(endpointText(leg.invite.src)) : leg.uac;
  return `${from} → ${to}`;
}

function hostOfUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const m = /^sips?:(?:[^@;>]*@)?([^;>?]+)/i.exec(uri);
  return m?.[1];
}

/** Destination of a call as dialled: user@host of the Request-URI without port or parameters. */
export function destinationOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const m = /^sips?:(?:([^@;>]*)@)?(\[[^\]]+\]|[^:;>?]+)/i.exec(uri);
  if (!m) return uri;
  return m[1] ? `${m[1]}@${m[2]}` : m[2];
}

export function lastProvisionalBefore(leg: Leg, m: DxMsg): DxMsg | undefined {
  let best: DxMsg | undefined;
  for (const r of leg.responses) if ((r.status ?? 0) < 200 && (r.status ?? 0) > 100 && before(r, m) && (!best || before(best, r))) best = r;
  return best;
}

export function firstProvisional(leg: Leg, status: (s: number) => boolean): DxMsg | undefined {
  return earliest(leg.responses.filter((r) => status(r.status ?? 0)));
}

export function reasonDetails(m: DxMsg | undefined): string | undefined {
  if (!m || !m.reason.length) return undefined;
  return m.reason.map((r) => `${r.protocol}${r.cause != null ? `;cause=${r.cause}` : ""}${r.text ? `;text="${r.text}"` : ""}`).join(", ");
}

/** Coverage note: which hops of the INVITE the trace saw. */
export function hopsSeen(tree: InviteTree): string[] {
  return tree.legs.map(hopText);
}
