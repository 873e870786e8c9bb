/**
 * The whole analysis as one JSON document (the CLI's --json), written as a sequence of chunks of
 * about `chunkChars` characters: no string or buffer proportional to the whole result is ever
 * built, however big the trace. `resultDocument` builds the same document as an object, for
 * small inputs and tests.
 */
import type { AnalysisResult, CallView, SipMessageView } from "@siplens/contracts";
import type { Call } from "../model/types.js";
import { ownFindings, traceFindingIdsOf, transactionView } from "./calls.js";
import { messageSummary } from "./message-summary.js";
import type { ResultParts } from "./parts.js";
import { itemAt, present } from "../access.js";

export interface DocumentOptions {
  /** Include each message's raw text (default true). */
  includeRaw?: boolean;
  /** Target size of each chunk, in characters (default 64 Ki). */
  chunkChars?: number;
}

function callView(parts: ResultParts, call: Call, ordinal: number): CallView {
  const { ordinal: _ordinal, findingCodes: _codes, ...row } = itemAt(parts.callRows, ordinal);
  return {
    callId: row.callId,
    messageCount: row.messageCount,
    messageIndices: call.messageIndices,
    ...(row.from !== undefined ? { from: row.from } : {}),
    ...(row.to !== undefined ? { to: row.to } : {}),
    startTime: row.startTime,
    endTime: row.endTime,
    outcome: row.outcome,
    ...(row.finalStatus !== undefined ? { finalStatus: row.finalStatus } : {}),
    hosts: row.hosts,
    transactions: call.transactionIds.map((id) => transactionView(present(parts.model.transactionById.get(id)))),
    branches: row.branches,
    ...(row.group ? { group: row.group } : {}),
    findings: ownFindings(call, parts.grouped),
  };
}

function messageView(parts: ResultParts, index: number, includeRaw: boolean): SipMessageView {
  const m = itemAt(parts.model.messages, index);
  const summary: SipMessageView = messageSummary(parts.model, m);
  if (includeRaw) summary.raw = parts.model.payloads.text(index);
  return summary;
}

function head(parts: ResultParts) {
  const o = parts.overview;
  return {
    format: o.format,
    formatName: o.formatName,
    messageCount: o.messageCount,
    duplicatesDropped: o.duplicatesDropped,
    inputBytes: o.inputBytes,
    startTime: o.startTime,
    endTime: o.endTime,
    oneSided: o.oneSided,
    lanes: o.lanes,
  };
}

/** The document in chunks; join them and you have `JSON.stringify(resultDocument(parts))`. */
export function* resultDocumentChunks(parts: ResultParts, opts: DocumentOptions = {}): Generator<string> {
  const includeRaw = (opts.includeRaw ?? true) && parts.model.payloads.keeps;
  const limit = opts.chunkChars ?? 64 * 1024;
  const model = parts.model;
  let buffer = JSON.stringify(head(parts)).slice(0, -1);
  function* put(text: string): Generator<string> {
    buffer += text;
    if (buffer.length >= limit) {
      yield buffer;
      buffer = "";
    }
  }
  function* array<T>(name: string, count: number, item: (i: number) => T): Generator<string> {
    yield* put(`,${JSON.stringify(name)}:[`);
    for (let i = 0; i < count; i++) yield* put((i ? "," : "") + JSON.stringify(item(i)));
    yield* put("]");
  }
  yield* array("messages", model.messages.length, (i) => messageView(parts, i, includeRaw));
  const calls = [...model.calls.values()];
  yield* array("calls", calls.length, (i) => callView(parts, itemAt(calls, i), i));
  yield* array("findings", parts.findings.length, (i) => parts.findings[i]);
  yield* put(`,"coverage":${JSON.stringify(parts.overview.coverage)}`);
  yield* array("problems", model.problems.length, (i) => model.problems[i]);
  buffer += "}";
  yield buffer;
}

/**
 * One JSON line per call (for pipelines): the call list row with the call's own findings and the
 * ids of the trace-wide ones that name it (those are not copied into each of their calls).
 */
export function* callLines(parts: ResultParts): Generator<string> {
  const calls = [...parts.model.calls.values()];
  for (let i = 0; i < calls.length; i++) {
    const call = itemAt(calls, i);
    const findings = ownFindings(call, parts.grouped);
    const traceFindingIds = traceFindingIdsOf(call, parts.grouped);
    yield `${JSON.stringify({ ...itemAt(parts.callRows, i), findings, traceFindingIds })}\n`;
  }
}

/** The same document as an object (small traces, tests). */
export function resultDocument(parts: ResultParts, opts: DocumentOptions = {}): AnalysisResult {
  const includeRaw = (opts.includeRaw ?? true) && parts.model.payloads.keeps;
  const model = parts.model;
  const calls = [...model.calls.values()];
  return {
    ...head(parts),
    messages: model.messages.map((m) => messageView(parts, m.index, includeRaw)),
    calls: calls.map((c, i) => callView(parts, c, i)),
    findings: parts.findings,
    coverage: parts.overview.coverage,
    problems: model.problems,
  };
}
