/**
 * Turns the internal TraceModel (plus findings) into the plain-JSON AnalysisResult of the contract.
 */
import type {
  AnalysisResult,
  CallOutcome,
  CallView,
  Finding,
  Lane,
  LadderRow,
  SipMessageView,
  TransactionView,
} from "@siplens/contracts";
import { withRelativeTimes } from "../ladder/build-ladder.js";
import type { ParsedSip } from "../sip/types.js";
import type { Call, ModelMessage, TraceModel, Transaction } from "./types.js";

export interface ViewOptions extends ViewDeps {
  includeRaw: boolean;
  inputBytes: number;
}

/** Outcome of a call from the final response the caller's INVITE got. */
export function callOutcome(status: number | undefined, hasInvite: boolean): CallOutcome {
  if (!hasInvite) return "no-invite";
  if (status === undefined) return "incomplete";
  if (status < 300) return "answered";
  if (status === 487) return "cancelled";
  if (status === 486 || status === 600) return "busy";
  if (status === 408 || (status >= 500 && status < 600)) return "failed";
  return "rejected";
}

export interface ViewDeps {
  /** Re-reads the full header list from raw text (the model keeps parsed messages slim). */
  parse: (text: string) => ParsedSip;
}

function messageView(m: ModelMessage, includeRaw: boolean, deps: ViewDeps): SipMessageView {
  const sip = m.sip;
  // One literal per message (optional fields may be undefined; JSON drops them): spreads cost per message.
  return {
    index: m.index,
    time: m.time,
    src: m.src,
    dst: m.dst,
    transport: m.transport,
    where: m.where,
    kind: m.isRequest ? "request" : "response",
    method: m.method,
    requestUri: sip.requestUri,
    status: m.status,
    reasonPhrase: sip.reasonPhrase,
    callId: m.callId,
    cseq: sip.cseq ?? { seq: 0, method: m.method },
    fromTag: sip.from?.tag,
    toTag: sip.to?.tag,
    fromUri: sip.from?.uri,
    toUri: sip.to?.uri,
    branch: sip.vias[0]?.branch,
    viaCount: sip.vias.length,
    label: m.label,
    transactionId: m.transactionId,
    retransmissionOf: m.retransmissionOf,
    problems: m.problems,
    headers: includeRaw && m.raw ? deps.parse(m.raw).headers.map((h) => ({ name: h.name, value: h.value })) : [],
    sdp: sip.sdp,
    raw: includeRaw ? m.raw : "",
  };
}

function transactionView(t: Transaction): TransactionView {
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

/** Per Call-ID: the findings about that call alone, and the widest fork. */
interface PerCall {
  findings: Map<string, Finding[]>;
  branches: Map<string, number>;
}

function groupPerCall(model: TraceModel, findings: Finding[]): PerCall {
  const byCall = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.callIds.length !== 1) continue;
    const id = f.callIds[0]!;
    const list = byCall.get(id);
    if (list) list.push(f);
    else byCall.set(id, [f]);
  }
  const branches = new Map<string, number>();
  for (const fork of model.forks) {
    const callId = model.transactionById.get(fork.branchTxIds[0]!)?.callId;
    if (callId !== undefined) branches.set(callId, Math.max(branches.get(callId) ?? 1, fork.branchTxIds.length));
  }
  return { findings: byCall, branches };
}

function callView(model: TraceModel, call: Call, perCall: PerCall): CallView {
  const root = call.rootInviteTxId ? model.transactionById.get(call.rootInviteTxId) : undefined;
  return {
    callId: call.callId,
    messageCount: call.messageIndices.length,
    messageIndices: call.messageIndices,
    ...(call.fromUri !== undefined ? { from: call.fromUri } : {}),
    ...(call.toUri !== undefined ? { to: call.toUri } : {}),
    startTime: call.startTime,
    endTime: call.endTime,
    outcome: callOutcome(root?.finalStatus, root !== undefined),
    ...(root?.finalStatus !== undefined ? { finalStatus: root.finalStatus } : {}),
    hosts: call.hosts,
    transactions: call.transactionIds.map((id) => transactionView(model.transactionById.get(id)!)),
    branches: perCall.branches.get(call.callId) ?? 1,
    findings: perCall.findings.get(call.callId) ?? [],
  };
}

/** Branch number of a message for fork colouring: its transaction's, or the INVITE's it matches. */
function branchIndexOf(model: TraceModel, m: ModelMessage): number {
  if (!m.transactionId) return 0;
  const direct = model.forkBranchIndex.get(m.transactionId);
  if (direct !== undefined) return direct;
  const matches = model.transactionById.get(m.transactionId)?.matches;
  return (matches && model.forkBranchIndex.get(matches)) || 0;
}

export function ladderRows(model: TraceModel): LadderRow[] {
  return withRelativeTimes(
    model.messages.map((m) => ({
      index: m.index,
      from: m.srcHost,
      to: m.dstHost,
      label: m.label,
      time: m.time,
      delta: null,
      sinceStart: null,
      ...(m.transactionId ? { transactionId: m.transactionId } : {}),
      callId: m.callId,
      retransmission: m.retransmissionOf !== undefined,
      branchIndex: branchIndexOf(model, m),
    })),
  );
}

export function laneViews(model: TraceModel): Lane[] {
  return [...model.hosts.values()].map((h) => ({ id: h.id, name: h.name, addresses: h.addresses }));
}

/** Findings numbered f1, f2 … in order so share links stay stable for one analysis. */
function numbered(findings: Finding[]): Finding[] {
  return findings.map((f, i) => ({ ...f, id: `f${i + 1}` }));
}

export function resultView(model: TraceModel, rawFindings: Finding[], options: ViewOptions): AnalysisResult {
  const findings = numbered(rawFindings);
  const perCall = groupPerCall(model, findings);
  return {
    format: model.format,
    formatName: model.formatName,
    messageCount: model.messages.length,
    duplicatesDropped: model.duplicatesDropped,
    inputBytes: options.inputBytes,
    startTime: model.startTime,
    endTime: model.endTime,
    oneSided: model.oneSided,
    messages: model.messages.map((m) => messageView(m, options.includeRaw, options)),
    calls: [...model.calls.values()].map((c) => callView(model, c, perCall)),
    findings,
    ladder: { lanes: laneViews(model), rows: ladderRows(model) },
    coverage: model.coverage.summary,
    problems: model.problems,
  };
}
