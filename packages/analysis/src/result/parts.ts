/**
 * The result stage: the finished model and its findings, as the parts the API stores and the CLI
 * writes (see @siplens/contracts parts.ts). Calls and message blocks are produced one at a time,
 * so no consumer has to hold the whole result.
 */
import { MESSAGE_BLOCK_SIZE, type AnalysisOverview, type CallDetail, type CallIndexRow, type Finding, type MessageBlock } from "@siplens/contracts";
import type { TraceModel } from "../model/types.js";
import { callDetail, callIndexRow, groupByCall, type FindingsByCall } from "./calls.js";
import { decide487Causes } from "./causes.js";
import { messageSummary } from "./message-summary.js";
import { buildOverview } from "./overview.js";
import { itemAt } from "../access.js";

export interface ResultParts {
  overview: AnalysisOverview;
  /** Every finding, patterns first, worst first (diagnosis/finding-order.ts), with the ids the diagnosis gave them in that order (share links may focus on one). */
  findings: Finding[];
  /** One row per call, in trace order (ordinal = position). */
  callRows: CallIndexRow[];
  /** The whole call for each row, built on demand. */
  callDetails(): Generator<CallDetail>;
  /** Consecutive messages in blocks of MESSAGE_BLOCK_SIZE, built on demand. */
  /**
   * Blocks of MESSAGE_BLOCK_SIZE messages. `raw: false` leaves each block's `raw` empty: for a
   * caller that takes the texts already encoded from the payload store (BlockPayloads).
   */
  messageBlocks(opts?: { raw?: boolean }): Generator<MessageBlock>;
  readonly model: TraceModel;
  readonly grouped: FindingsByCall;
}

/**
 * `findings` come numbered from the diagnosis (f1, f2 … in its order) and are stored so, each naming
 * where its evidence is in the input (a finding page is read without the messages it points at).
 */
function withEvidenceWhere(model: TraceModel, findings: readonly Finding[]): Finding[] {
  return findings.map((f) => ({ ...f, evidenceWhere: f.evidence.map((index) => model.messages[index]?.where ?? `message ${index + 1}`) }));
}

export function resultParts(model: TraceModel, rawFindings: readonly Finding[], opts: { inputBytes: number }): ResultParts {
  const findings = withEvidenceWhere(model, rawFindings);
  const grouped = groupByCall(model, findings);
  const calls = [...model.calls.values()];
  const decided = decide487Causes(model, findings);
  const callRows = calls.map((c, ordinal) => callIndexRow(model, c, ordinal, grouped, decided.causesByCall.get(c.callId)));
  return {
    overview: buildOverview(model, findings, callRows, decided.responses487, opts.inputBytes),
    findings,
    callRows,
    model,
    grouped,
    *callDetails() {
      for (let i = 0; i < calls.length; i++) yield callDetail(model, itemAt(callRows, i), itemAt(calls, i), grouped);
    },
    *messageBlocks({ raw = true } = {}) {
      const all = model.messages;
      for (let first = 0, block = 0; first < all.length; first += MESSAGE_BLOCK_SIZE, block++) {
        const slice = all.slice(first, first + MESSAGE_BLOCK_SIZE);
        let startTime: number | null = null;
        let endTime: number | null = null;
        for (const m of slice) {
          if (m.time === null) continue;
          if (startTime === null || m.time < startTime) startTime = m.time;
          if (endTime === null || m.time > endTime) endTime = m.time;
        }
        yield {
          block,
          firstIndex: first,
          startTime,
          endTime,
          messages: slice.map((m) => messageSummary(model, m)),
          raw: raw ? slice.map((m) => model.payloads.text(m.index)) : [],
        };
      }
    },
  };
}
