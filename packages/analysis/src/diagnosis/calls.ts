import type { TraceModel, Transaction } from "../model/types.js";
import { before, sentBy, txHopKey, type DxMsg } from "./input.js";
import { itemAt, present } from "../access.js";

const byIndex = (a: DxMsg, b: DxMsg) => a.index - b.index;

/**
 * One INVITE client/server transaction pair on one hop ("leg"): what one UAC sent to the next
 * hop, with everything matched to it by top Via branch and sent-by (RFC 3261 §17.2.3):
 * the INVITE copies, its responses, the CANCEL for it (§9.2) and the hop-by-hop ACK of a
 * non-2xx final (§17.1.1.3). Legs chain through the Via stack: a proxy's leg carries the
 * upstream leg's top Via as its second Via (§16.6 step 8).
 */
export interface Leg {
  key: string;
  callId: string;
  cseqSeq: number;
  /** First copy of the INVITE on this hop. */
  invite: DxMsg;
  inviteCopies: DxMsg[];
  /** Re-INVITE inside a dialog (the INVITE already carries a To tag). */
  inDialog: boolean;
  /** Key of the second Via: the upstream leg this INVITE was forwarded from. */
  parentKey?: string;
  parent?: Leg;
  children: Leg[];
  responses: DxMsg[];
  cancels: DxMsg[];
  cancelResponses: DxMsg[];
  /** ACKs with the INVITE's branch: acknowledgements of a non-2xx final. */
  acks: DxMsg[];
  /** The host that sent the INVITE on this hop (its top Via sent-by). */
  uac: string;
}

/** Every leg of one INVITE (one CSeq number) of a call, across hops and fork branches. */
export interface InviteTree {
  callId: string;
  cseqSeq: number;
  legs: Leg[];
  /** Legs whose upstream leg is not in the trace (the caller's leg when it was captured). */
  roots: Leg[];
  inDialog: boolean;
}

export interface CallDx {
  callId: string;
  messages: DxMsg[];
  trees: InviteTree[];
  /** CANCELs whose branch matches no INVITE of the trace. */
  strayCancels: DxMsg[];
  strayCancelResponses: DxMsg[];
  /** ACKs that match no INVITE by branch (2xx ACKs, or ACKs with a wrong branch). */
  otherAcks: DxMsg[];
  byes: DxMsg[];
}

/**
 * The legs of every call, read off the model's own transactions (RFC 3261 §17 matching is done
 * there once): an INVITE transaction whose request was captured is a leg; its CANCELs, responses
 * and hop-by-hop ACKs come from the transactions matched to it.
 */
export function buildCalls(model: TraceModel): CallDx[] {
  const msgs = model.messages;
  const at = (indices: readonly number[]) => indices.map((i) => itemAt(msgs, i));
  const out: CallDx[] = [];
  for (const call of model.calls.values()) {
    const c: CallDx = {
      callId: call.callId,
      messages: at(call.messageIndices),
      trees: [],
      strayCancels: [],
      strayCancelResponses: [],
      otherAcks: [],
      byes: [],
    };
    const legsByKey = new Map<string, Leg>();
    const others: Transaction[] = [];
    for (const id of call.transactionIds) {
      const tx = present(model.transactionById.get(id));
      if (tx.method !== "INVITE" || !tx.requestSeen) {
        others.push(tx);
        continue;
      }
      const invite = present(msgs[itemAt(tx.requestIndices, 0)]);
      const key = txHopKey(invite);
      legsByKey.set(key, {
        key,
        callId: call.callId,
        cseqSeq: invite.cseqSeq,
        invite,
        inviteCopies: at(tx.requestIndices),
        inDialog: invite.toTag != null && invite.toTag !== "",
        // a forwarded request keeps Call-ID, From tag and CSeq: the upstream key is the same kind
        parentKey: invite.vias[1] ? txHopKey(invite, invite.vias[1]) : undefined,
        children: [],
        responses: at(tx.responseIndices),
        cancels: [],
        cancelResponses: [],
        acks: at(tx.ackIndices),
        uac: sentBy(invite.vias[0]) ?? invite.src?.ip ?? "?",
      });
    }
    for (const tx of others) {
      const requests = tx.requestSeen ? at(tx.requestIndices) : [];
      const leg = requests[0] ? legsByKey.get(txHopKey(requests[0])) : undefined;
      if (tx.method === "CANCEL") {
        if (leg) {
          leg.cancels.push(...requests);
          leg.cancelResponses.push(...at(tx.responseIndices));
        } else {
          c.strayCancels.push(...requests);
          c.strayCancelResponses.push(...at(tx.responseIndices));
        }
      } else if (tx.method === "ACK") {
        if (leg) leg.acks.push(...requests);
        else c.otherAcks.push(...requests);
      } else if (tx.method === "BYE") c.byes.push(...requests);
    }
    for (const leg of legsByKey.values()) for (const list of [leg.inviteCopies, leg.responses, leg.cancels, leg.cancelResponses, leg.acks]) list.sort(byIndex);
    for (const list of [c.strayCancels, c.strayCancelResponses, c.otherAcks, c.byes]) list.sort(byIndex);
    const trees = new Map<number, InviteTree>();
    for (const leg of legsByKey.values()) {
      if (leg.parentKey) {
        const parent = legsByKey.get(leg.parentKey);
        if (parent && parent.cseqSeq === leg.cseqSeq && !isAncestorOrSelf(leg, parent)) {
          leg.parent = parent;
          parent.children.push(leg);
        }
      }
      let t = trees.get(leg.cseqSeq);
      if (!t) {
        t = { callId: c.callId, cseqSeq: leg.cseqSeq, legs: [], roots: [], inDialog: leg.inDialog };
        trees.set(leg.cseqSeq, t);
      }
      t.legs.push(leg);
    }
    for (const t of trees.values()) {
      t.roots = t.legs.filter((l) => !l.parent);
      t.legs.sort((a, b) => a.invite.index - b.invite.index);
    }
    out.push({
      callId: c.callId,
      messages: c.messages,
      trees: [...trees.values()].sort((a, b) => itemAt(a.legs, 0).invite.index - itemAt(b.legs, 0).invite.index),
      strayCancels: c.strayCancels,
      strayCancelResponses: c.strayCancelResponses,
      otherAcks: c.otherAcks,
      byes: c.byes,
    });
  }
  return out;
}

export function firstFinal(leg: Leg): DxMsg | undefined {
  let best: DxMsg | undefined;
  for (const r of leg.responses) if ((r.status ?? 0) >= 200 && (!best || before(r, best))) best = r;
  return best;
}

export function earliest(ms: DxMsg[]): DxMsg | undefined {
  let best: DxMsg | undefined;
  for (const m of ms) if (!best || before(m, best)) best = m;
  return best;
}

/** Legs that share the same upstream leg (captured or not): the branches of one fork. */
export function forkGroups(tree: InviteTree): Leg[][] {
  const groups = new Map<string, Leg[]>();
  for (const leg of tree.legs) {
    if (!leg.parentKey) continue;
    const g = groups.get(leg.parentKey);
    if (g) g.push(leg);
    else groups.set(leg.parentKey, [leg]);
  }
  return [...groups.values()].filter((g) => g.length >= 2);
}

/**
 * Whether `leg` is `node` or above it. Via lists that point back at a leg's own branch (a damaged
 * or looping Via stack) must not make the tree a cycle: every walk over it would never end.
 */
function isAncestorOrSelf(leg: Leg, node: Leg): boolean {
  for (let p: Leg | undefined = node; p; p = p.parent) if (p === leg) return true;
  return false;
}
