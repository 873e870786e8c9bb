/** The per-call parts of the result: the call list row and the whole call. */
import type { CallDetail, CallGroupRef, CallIndexRow, CallOutcome, CauseCode, Finding, FindingCode, TransactionView } from "@siplens/contracts";
import type { Call, TraceModel, Transaction } from "../model/types.js";
import { messageSummary } from "./message-summary.js";
import { laneView } from "./overview.js";
import { itemAt, present } from "../access.js";

/** Outcome of a call from the final response the caller's INVITE got. */
function callOutcome(status: number | undefined, hasInvite: boolean): CallOutcome {
  if (!hasInvite) return "no-invite";
  if (status === undefined) return "incomplete";
  if (status < 300) return "answered";
  if (status === 487) return "cancelled";
  if (status === 486 || status === 600) return "busy";
  if (status === 408 || (status >= 500 && status < 600)) return "failed";
  return "rejected";
}

export function transactionView(t: Transaction): TransactionView {
  return {
    id: t.id,
    method: t.method,
    ...(t.branch ? { branch: t.branch } : {}),
    requestIndex: t.requestIndex,
    messageIndices: t.messageIndices,
    ...(t.finalStatus !== undefined ? { finalStatus: t.finalStatus } : {}),
    ...(t.matches ? { matches: t.matches } : {}),
    fromHost: t.clientHost,
    toHost: t.serverHost,
  };
}

/** Findings per Call-ID (a trace-wide finding is listed under each call it names) and the widest fork. */
export interface FindingsByCall {
  findings: Map<string, Finding[]>;
  branches: Map<string, number>;
}

export function groupByCall(model: TraceModel, findings: readonly Finding[]): FindingsByCall {
  const byCall = new Map<string, Finding[]>();
  for (const f of findings) {
    for (const id of f.callIds) {
      const list = byCall.get(id);
      if (list) list.push(f);
      else byCall.set(id, [f]);
    }
  }
  const branches = new Map<string, number>();
  for (const fork of model.forks) {
    const callId = model.transactionById.get(itemAt(fork.branchTxIds, 0))?.callId;
    if (callId !== undefined) branches.set(callId, Math.max(branches.get(callId) ?? 1, fork.branchTxIds.length));
  }
  return { findings: byCall, branches };
}

/** Findings about this call alone (the call list and the CLI document list these). */
export function ownFindings(call: Call, grouped: FindingsByCall): Finding[] {
  return (grouped.findings.get(call.callId) ?? []).filter((f) => f.callIds.length === 1);
}

/** Ids of the trace-wide findings that name this call (they are stored once, not in each call). */
export function traceFindingIdsOf(call: Call, grouped: FindingsByCall): string[] {
  return (grouped.findings.get(call.callId) ?? []).filter((f) => f.callIds.length !== 1).map((f) => f.id);
}

/** The correlated call this Call-ID is a leg of (correlate/), as the call list shows it. */
function callGroupRef(model: TraceModel, callId: string): CallGroupRef | undefined {
  const g = model.correlation?.groupOf.get(callId);
  if (!g) return undefined;
  return {
    id: g.id,
    basis: g.basis,
    confidence: g.confidence,
    legs: g.callIds.length,
    leg: g.callIds.indexOf(callId) + 1,
    callIds: g.callIds,
    note: g.notes.get(callId) ?? "",
  };
}

/** `causes487`: what decided the call's 487s (result/causes.ts), none when it has no 487. */
export function callIndexRow(model: TraceModel, call: Call, ordinal: number, grouped: FindingsByCall, causes487: readonly CauseCode[] = []): CallIndexRow {
  const group = callGroupRef(model, call.callId);
  const root = call.rootInviteTxId ? model.transactionById.get(call.rootInviteTxId) : undefined;
  const codes = new Set<FindingCode>();
  for (const f of grouped.findings.get(call.callId) ?? []) codes.add(f.code);
  return {
    ordinal,
    callId: call.callId,
    ...(call.fromUri !== undefined ? { from: call.fromUri } : {}),
    ...(call.toUri !== undefined ? { to: call.toUri } : {}),
    startTime: call.startTime,
    endTime: call.endTime,
    outcome: callOutcome(root?.finalStatus, root !== undefined),
    ...(root?.finalStatus !== undefined ? { finalStatus: root.finalStatus } : {}),
    findingCodes: [...codes],
    messageCount: call.messageIndices.length,
    hosts: call.hosts,
    branches: grouped.branches.get(call.callId) ?? 1,
    ...(group ? { group } : {}),
    causes487: [...causes487],
  };
}

export function callDetail(model: TraceModel, row: CallIndexRow, call: Call, grouped: FindingsByCall): CallDetail {
  return {
    ...row,
    transactions: call.transactionIds.map((id) => transactionView(present(model.transactionById.get(id)))),
    findings: ownFindings(call, grouped),
    traceFindingIds: traceFindingIdsOf(call, grouped),
    messages: call.messageIndices.map((i) => messageSummary(model, itemAt(model.messages, i))),
    lanes: call.hosts.flatMap((id) => {
      const host = model.hosts.get(id);
      return host ? [laneView(host)] : [];
    }),
  };
}
