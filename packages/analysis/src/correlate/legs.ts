/** The few facts of one call (one Call-ID) that correlation reads: its caller's INVITE, where it went, its link headers. */
import type { Call, HostId, TraceModel, Transaction } from "../model/types.js";
import { itemAt, present } from "../access.js";

export interface LegFacts {
  call: Call;
  /** The caller's INVITE transaction on this Call-ID (the last one not forwarded from a captured one). */
  root: Transaction;
  /** The element that sent this leg's INVITE (a B2BUA when the leg is its outgoing side). */
  origin: HostId;
  /** Elements where an INVITE of this call ended without being forwarded (a B2BUA when the leg is its incoming side). */
  ends: HostId[];
  fromUser?: string;
  toUser?: string;
  /** numberKeys of the From / To users. */
  fromKeys: string[];
  toKeys: string[];
  /** Link header values read off the call's INVITE requests (first value of each). */
  otherCallId?: string;
  sessionUuids: string[];
  icid?: string;
}

/** "sip:+1001@host;user=phone" → "+1001"; undefined when the URI names no user. */
export function userOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const colon = uri.indexOf(":");
  const at = uri.indexOf("@", colon + 1);
  if (colon === -1 || at === -1) return undefined;
  const user = uri.slice(colon + 1, at);
  const semi = user.indexOf(";");
  return (semi === -1 ? user : user.slice(0, semi)).toLowerCase() || undefined;
}

/**
 * The keys a number is known by: the user without a leading "+", and every run of 6 or more
 * digits in it ("92300~3726890004~380974498412", a B2BUA's routing prefix, is known by its parts).
 */
export function numberKeys(user: string | undefined): string[] {
  if (user === undefined) return [];
  const whole = user.startsWith("+") ? user.slice(1) : user;
  const out = [whole];
  for (const run of whole.match(/\d{6,}/g) ?? []) if (!out.includes(run)) out.push(run);
  return out;
}

const UUID = /^[0-9a-f]{32}$/;
const NULL_UUID = "0".repeat(32);

/**
 * The UUIDs of an RFC 7989 Session-ID ("local;remote=other"), lower-cased; the null UUID (the
 * far end not known yet, §7) and malformed values tie nothing.
 */
export function sessionUuids(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  const [local, ...params] = value.split(";");
  const candidates = [local ?? ""];
  for (const p of params) {
    const eq = p.indexOf("=");
    if (eq !== -1 && p.slice(0, eq).trim().toLowerCase() === "remote") candidates.push(p.slice(eq + 1));
  }
  for (const c of candidates) {
    const u = c.trim().toLowerCase();
    if (UUID.test(u) && u !== NULL_UUID && !out.includes(u)) out.push(u);
  }
  return out;
}

/** Facts of every call that has a captured INVITE, in call order (other calls do not take part). */
export function legFacts(model: TraceModel): LegFacts[] {
  const out: LegFacts[] = [];
  for (const call of model.calls.values()) {
    const root = call.rootInviteTxId ? model.transactionById.get(call.rootInviteTxId) : undefined;
    if (!root?.requestSeen) continue;
    const ends: HostId[] = [];
    for (const id of call.inviteTxIds) {
      const t = present(model.transactionById.get(id));
      if (t.downstreamTxIds.length === 0 && !ends.includes(t.serverHost)) ends.push(t.serverHost);
    }
    const leg: LegFacts = {
      call,
      root,
      origin: root.clientHost,
      ends,
      fromUser: userOf(call.fromUri),
      toUser: userOf(call.toUri),
      fromKeys: [],
      toKeys: [],
      sessionUuids: [],
    };
    leg.fromKeys = numberKeys(leg.fromUser);
    leg.toKeys = numberKeys(leg.toUser);
    for (const i of call.messageIndices) {
      const m = itemAt(model.messages, i);
      const links = m.links;
      if (!links || m.method !== "INVITE") continue;
      leg.otherCallId ??= links.otherCallId?.trim() || undefined;
      leg.icid ??= links.icid;
      if (links.sessionId && leg.sessionUuids.length === 0) leg.sessionUuids = sessionUuids(links.sessionId);
    }
    out.push(leg);
  }
  return out;
}
