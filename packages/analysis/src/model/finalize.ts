/**
 * The parts of the model that need the whole trace: lanes, hops (Via chaining), forks,
 * who originated each CANCEL, which legs the capture covered, and per-call summaries.
 */
import type { FormatId, Problem } from "@siplens/contracts";
import type { AddressKey } from "./hosts.js";
import { add, trimmed } from "./lists.js";
import type { PayloadStore } from "./payloads.js";
import type { CaptureSpan } from "../ingest/types.js";
import type { Call, CancelOrigin, Coverage, Dialog, Fork, Hop, Host, HostId, ModelMessage, TraceModel, Transaction, TransactionId } from "./types.js";
import { itemAt, present } from "../access.js";

export interface FinalizeInput {
  format: FormatId;
  formatName: string;
  messages: ModelMessage[];
  payloads: PayloadStore;
  transactions: Transaction[];
  dialogs: Dialog[];
  calls: Map<string, Call>;
  hosts: Map<HostId, Host>;
  laneOf: Map<AddressKey, HostId>;
  oneSided: boolean;
  duplicatesDropped: number;
  captureSpan: CaptureSpan | null;
  problems: Problem[];
}

function trimTransaction(t: Transaction): void {
  t.requestIndices = trimmed(t.requestIndices);
  t.responseIndices = trimmed(t.responseIndices);
  t.provisionalIndices = trimmed(t.provisionalIndices);
  t.finalIndices = trimmed(t.finalIndices);
  t.laterFinalStatuses = trimmed(t.laterFinalStatuses);
  t.ackIndices = trimmed(t.ackIndices);
  t.messageIndices = trimmed(t.messageIndices);
}

export function finalizeModel(input: FinalizeInput): TraceModel {
  const { messages, transactions, dialogs, calls, hosts, laneOf } = input;
  const lane = (k: AddressKey): HostId => laneOf.get(k) ?? k;
  for (const m of messages) {
    m.srcHost = lane(m.srcHost);
    m.dstHost = lane(m.dstHost);
  }
  for (const t of transactions) {
    t.clientHost = lane(t.clientHost);
    t.serverHost = lane(t.serverHost);
    trimTransaction(t);
  }
  for (const d of dialogs) {
    d.messageIndices = trimmed(d.messageIndices);
    d.ackIndices = trimmed(d.ackIndices);
  }
  const transactionById = new Map(transactions.map((t) => [t.id, t]));
  const orderedHosts = callerFirst(hosts, transactions);
  const hops = buildHops(transactions);
  for (const hop of hops) {
    const host = orderedHosts.get(hop.element);
    if (host && !host.forwards) {
      host.forwards = true;
      host.name = `${host.id} (proxy)`;
    }
  }
  const forks = buildForks(hops, transactionById);
  const forkBranchIndex = new Map<TransactionId, number>();
  for (const fork of forks) fork.branchTxIds.forEach((id, i) => forkBranchIndex.set(id, i));
  summariseCalls(calls, messages, transactionById);
  let startTime: number | null = null;
  let endTime: number | null = null;
  for (const m of messages) {
    if (m.time === null) continue;
    if (startTime === null || m.time < startTime) startTime = m.time;
    if (endTime === null || m.time > endTime) endTime = m.time;
  }
  return {
    format: input.format,
    formatName: input.formatName,
    messages,
    payloads: input.payloads,
    transactions,
    transactionById,
    dialogs,
    dialogById: new Map(dialogs.map((d) => [d.id, d])),
    calls,
    hosts: orderedHosts,
    hops,
    forks,
    forkBranchIndex,
    cancels: buildCancelOrigins(transactions, transactionById, messages),
    coverage: buildCoverage(transactions),
    oneSided: input.oneSided,
    duplicatesDropped: input.duplicatesDropped,
    startTime,
    endTime,
    captureSpan: input.captureSpan,
    problems: input.problems,
  };
}

/**
 * Lanes read left to right along the call path: hosts in the order INVITEs travelled
 * (caller, proxy, callees), then everything else (registrations, OPTIONS) in order of appearance.
 */
function callerFirst(hosts: Map<HostId, Host>, transactions: Transaction[]): Map<HostId, Host> {
  const ordered = new Map<HostId, Host>();
  const take = (id: HostId): void => {
    const h = hosts.get(id);
    if (h && !ordered.has(id)) ordered.set(id, h);
  };
  for (const t of transactions) {
    if (t.method !== "INVITE") continue;
    take(t.clientHost);
    take(t.serverHost);
  }
  for (const id of hosts.keys()) take(id);
  return ordered;
}

/** Groups forwarded transactions by the element that forwarded them and the upstream request. */
function buildHops(transactions: Transaction[]): Hop[] {
  const byUpstream = new Map<string, Hop>();
  for (const t of transactions) {
    if (!t.upstreamViaKey) continue;
    const key = `${t.clientHost}#${t.upstreamViaKey}`;
    let hop = byUpstream.get(key);
    if (!hop) {
      hop = {
        element: t.clientHost,
        method: t.method,
        ...(t.upstreamTxId ? { upstreamTxId: t.upstreamTxId } : {}),
        upstreamViaKey: t.upstreamViaKey,
        downstreamTxIds: [],
      };
      byUpstream.set(key, hop);
    }
    hop.downstreamTxIds.push(t.id);
  }
  return [...byUpstream.values()];
}

/** An INVITE forwarded into several downstream transactions is a fork (parallel, or serial when each branch ended before the next began). */
function buildForks(hops: Hop[], txById: Map<TransactionId, Transaction>): Fork[] {
  const forks: Fork[] = [];
  for (const hop of hops) {
    if (hop.method !== "INVITE") continue;
    const branches = hop.downstreamTxIds.map((id) => present(txById.get(id))).filter((t) => t.toTag === undefined);
    if (branches.length < 2) continue;
    let parallel = false;
    for (let i = 1; i < branches.length && !parallel; i++) {
      const start = itemAt(branches, i).requestIndex;
      // Parallel when an earlier branch had no final response yet when this one started.
      for (let j = 0; j < i; j++) {
        const fin = itemAt(branches, j).finalIndex;
        if (fin === undefined || fin > start) parallel = true;
      }
    }
    forks.push({
      element: hop.element,
      ...(hop.upstreamTxId ? { upstreamTxId: hop.upstreamTxId } : {}),
      branchTxIds: branches.map((t) => t.id),
      parallel,
      winnerTxIds: branches.filter((t) => isAnswered(t)).map((t) => t.id),
    });
  }
  return forks;
}

function isAnswered(t: Transaction): boolean {
  if (t.finalStatus !== undefined && t.finalStatus >= 200 && t.finalStatus < 300) return true;
  return t.laterFinalStatuses.some((s) => s >= 200 && s < 300);
}

/**
 * Who decided each CANCEL. A CANCEL for a downstream INVITE is relayed when the upstream INVITE
 * it was forwarded from got a CANCEL first; otherwise the sending element originated it
 * (the caller, or a proxy on a timer / after another branch answered).
 */
function buildCancelOrigins(transactions: Transaction[], txById: Map<TransactionId, Transaction>, messages: ModelMessage[]): CancelOrigin[] {
  const byTx = new Map<TransactionId, CancelOrigin>();
  const result: CancelOrigin[] = [];
  for (const cancel of transactions) {
    if (cancel.method !== "CANCEL") continue;
    const invite = cancel.matches ? txById.get(cancel.matches) : undefined;
    const origin: CancelOrigin = {
      cancelTxId: cancel.id,
      ...(invite ? { inviteTxId: invite.id } : {}),
      sender: cancel.clientHost,
      originator: cancel.clientHost,
      kind: "originated",
      index: cancel.requestIndex,
      reason: messages[cancel.requestIndex]?.reason ?? [],
    };
    const upstream = invite?.upstreamTxId ? txById.get(invite.upstreamTxId) : undefined;
    if (upstream) {
      const upstreamCancel = upstream.cancelTxIds.map((id) => byTx.get(id)).find((c) => c !== undefined && c.index < cancel.requestIndex);
      if (upstreamCancel) {
        origin.kind = "relayed";
        origin.relayedFromTxId = upstreamCancel.cancelTxId;
        origin.originator = upstreamCancel.originator;
      }
    } else if (invite?.upstreamViaKey) {
      origin.kind = "unknown-upstream";
    }
    byTx.set(cancel.id, origin);
    result.push(origin);
  }
  return result;
}

function buildCoverage(transactions: Transaction[]): Coverage {
  const legs = new Map<string, Coverage["legs"][number]>();
  const methods = new Map<string, Set<string>>();
  const missing = new Map<string, Coverage["missingUpstream"][number]>();
  for (const t of transactions) {
    if (t.method === "INVITE" || t.method === "CANCEL") {
      const key = `${t.clientHost}>${t.serverHost}`;
      let leg = legs.get(key);
      if (!leg) legs.set(key, (leg = { from: t.clientHost, to: t.serverHost, inviteTxIds: [] }));
      if (t.method === "INVITE") leg.inviteTxIds.push(t.id);
      let set = methods.get(key);
      if (!set) methods.set(key, (set = new Set()));
      set.add(t.method);
    }
    if (t.upstreamViaKey && !t.upstreamTxId) {
      const parts = t.upstreamViaKey.split("|");
      const viaSentBy = parts[1] ?? "";
      const key = `${t.clientHost}#${viaSentBy}`;
      let entry = missing.get(key);
      if (!entry) missing.set(key, (entry = { viaSentBy, element: t.clientHost, txIds: [] }));
      entry.txIds.push(t.id);
    }
  }
  const summary = [...legs.entries()].map(([key, leg]) => `${leg.from} → ${leg.to} (${[...(methods.get(key) ?? [])].join(", ")})`);
  for (const m of missing.values()) summary.push(`${m.viaSentBy} → ${m.element} (not captured, known from Via)`);
  return { legs: [...legs.values()], missingUpstream: [...missing.values()], summary };
}

function summariseCalls(calls: Map<string, Call>, messages: ModelMessage[], txById: Map<TransactionId, Transaction>): void {
  for (const call of calls.values()) {
    const hosts = new Set<HostId>();
    for (const i of call.messageIndices) {
      const m = itemAt(messages, i);
      hosts.add(m.srcHost);
      hosts.add(m.dstHost);
    }
    call.hosts = [...hosts];
    call.inviteTxIds = [];
    for (const id of call.transactionIds) {
      const t = present(txById.get(id));
      if (t.method !== "INVITE" || t.toTag !== undefined) continue;
      call.inviteTxIds = add(call.inviteTxIds, id);
      // The last top-level INVITE counts: one retried after a 401/407 challenge replaces the first.
      if (t.upstreamTxId === undefined) call.rootInviteTxId = id;
    }
  }
}
