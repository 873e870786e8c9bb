import { before, sentBy, viaKey, type DxMsg } from "./input.js";

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

function legKeyOf(m: DxMsg): string {
  const top = m.vias[0];
  return viaKey(top) ?? `${sentBy(top) ?? m.src?.ip ?? "?"}|${m.cseqSeq}|no-branch`;
}

/** Groups the trace by Call-ID and builds legs and INVITE trees, in one pass plus linking. */
export function buildCalls(messages: readonly DxMsg[]): CallDx[] {
  const calls = new Map<string, CallDx & { legsByKey: Map<string, Leg>; pendingCancels: DxMsg[]; pendingResponses: DxMsg[]; pendingAcks: DxMsg[] }>();
  for (const m of messages) {
    let c = calls.get(m.callId);
    if (!c) {
      c = { callId: m.callId, messages: [], trees: [], strayCancels: [], strayCancelResponses: [], otherAcks: [], byes: [], legsByKey: new Map(), pendingCancels: [], pendingResponses: [], pendingAcks: [] };
      calls.set(m.callId, c);
    }
    c.messages.push(m);
    if (m.isRequest && m.method === "INVITE") {
      const key = legKeyOf(m);
      const leg = c.legsByKey.get(key);
      if (leg) leg.inviteCopies.push(m);
      else
        c.legsByKey.set(key, {
          key,
          callId: m.callId,
          cseqSeq: m.cseqSeq,
          invite: m,
          inviteCopies: [m],
          inDialog: m.toTag != null && m.toTag !== "",
          parentKey: viaKey(m.vias[1]),
          children: [],
          responses: [],
          cancels: [],
          cancelResponses: [],
          acks: [],
          uac: sentBy(m.vias[0]) ?? m.src?.ip ?? "?",
        });
    } else if (m.isRequest && m.method === "CANCEL") c.pendingCancels.push(m);
    else if (m.isRequest && m.method === "ACK") c.pendingAcks.push(m);
    else if (m.isRequest && m.method === "BYE") c.byes.push(m);
    else if (!m.isRequest && (m.cseqMethod === "INVITE" || m.cseqMethod === "CANCEL")) c.pendingResponses.push(m);
  }

  const out: CallDx[] = [];
  for (const c of calls.values()) {
    // Requests and responses are matched after every INVITE is known: a capture may hold a
    // response before its request when two capture points are merged out of order.
    for (const m of c.pendingCancels) {
      const leg = c.legsByKey.get(legKeyOf(m));
      if (leg) leg.cancels.push(m);
      else c.strayCancels.push(m);
    }
    for (const m of c.pendingAcks) {
      const leg = c.legsByKey.get(legKeyOf(m));
      if (leg) leg.acks.push(m);
      else c.otherAcks.push(m);
    }
    for (const m of c.pendingResponses) {
      const leg = c.legsByKey.get(legKeyOf(m));
      if (m.cseqMethod === "INVITE") leg?.responses.push(m);
      else if (leg) leg.cancelResponses.push(m);
      else c.strayCancelResponses.push(m);
    }
    const trees = new Map<number, InviteTree>();
    for (const leg of c.legsByKey.values()) {
      if (leg.parentKey) {
        const parent = c.legsByKey.get(leg.parentKey);
        if (parent && parent.cseqSeq === leg.cseqSeq) {
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
      trees: [...trees.values()].sort((a, b) => a.legs[0]!.invite.index - b.legs[0]!.invite.index),
      strayCancels: c.strayCancels,
      strayCancelResponses: c.strayCancelResponses,
      otherAcks: c.otherAcks,
      byes: c.byes,
    });
  }
  return out;
}

/** Depth of a leg from the first captured hop (0 for a root). */
export function depth(leg: Leg): number {
  let d = 0;
  for (let p = leg.parent; p; p = p.parent) d++;
  return d;
}

export function finals(leg: Leg): DxMsg[] {
  return leg.responses.filter((r) => (r.status ?? 0) >= 200);
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
