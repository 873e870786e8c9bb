/** The per-message part of the result: what lists and ladders show, without raw text or headers. */
import type { LadderRow, MessageSummary } from "@siplens/contracts";
import type { ModelMessage, TraceModel } from "../model/types.js";

/** Branch number of a message for fork colouring: its transaction's, or the INVITE's it matches. */
function branchIndexOf(model: TraceModel, m: ModelMessage): number {
  if (!m.transactionId) return 0;
  const direct = model.forkBranchIndex.get(m.transactionId);
  if (direct !== undefined) return direct;
  const matches = model.transactionById.get(m.transactionId)?.matches;
  return (matches && model.forkBranchIndex.get(matches)) || 0;
}

export function messageSummary(model: TraceModel, m: ModelMessage): MessageSummary {
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
    requestUri: m.requestUri,
    status: m.status,
    reasonPhrase: m.reasonPhrase,
    callId: m.callId,
    cseq: { seq: m.cseqSeq, method: m.cseqMethod },
    fromTag: m.fromTag,
    toTag: m.toTag,
    fromUri: m.fromUri,
    toUri: m.toUri,
    branch: m.vias[0]?.branch,
    viaCount: m.vias.length,
    label: m.label,
    transactionId: m.transactionId,
    retransmissionOf: m.retransmissionOf,
    problems: m.problems as string[],
    sdp: m.sdp,
    fromLane: m.srcHost,
    toLane: m.dstHost,
    branchIndex: branchIndexOf(model, m),
  };
}

/** Ladder rows of consecutive summaries, times relative to the first timed one of the list. */
export function ladderRowsOf(messages: readonly MessageSummary[]): LadderRow[] {
  let previous: number | null = null;
  let start: number | null = null;
  const rows: LadderRow[] = [];
  for (const m of messages) {
    if (start === null && m.time !== null) start = m.time;
    rows.push({
      index: m.index,
      from: m.fromLane,
      to: m.toLane,
      label: m.label,
      time: m.time,
      delta: m.time !== null && previous !== null ? m.time - previous : null,
      sinceStart: m.time !== null && start !== null ? m.time - start : null,
      ...(m.transactionId ? { transactionId: m.transactionId } : {}),
      callId: m.callId,
      retransmission: m.retransmissionOf !== undefined,
      branchIndex: m.branchIndex,
      where: m.where,
    });
    if (m.time !== null) previous = m.time;
  }
  return rows;
}
