/**
 * @siplens/analysis: SIP trace in, AnalysisResult out. Pure TypeScript (no Node-only imports):
 * the API, the CLI and the browser run the same code. Node stream/file adapters: "@siplens/analysis/node".
 */
export {
  NotATraceError,
  analyzeBytes,
  analyzeBytesToParts,
  analyzeStream,
  analyzeStreamToParts,
  analyzeText,
  buildTraceModel,
  createAnalyzer,
  createModelAnalyzer,
  type AnalyzeOptions,
  type Analyzer,
  type ModelAnalyzer,
} from "./analyze.js";
export {
  createPartRedactor,
  createRedaction,
  redactResult,
  sequentialPseudonyms,
  type PartRedactor,
  type PseudonymKind,
  type PseudonymOf,
  type Redaction,
} from "./result/redact.js";
export { shiftEpochSeconds, shiftTimes } from "./result/time-shift.js";
export { callLines, resultDocument, resultDocumentChunks, type DocumentOptions } from "./result/document.js";
export { ladderRowsOf, messageSummary } from "./result/message-summary.js";
export { resultParts, type ResultParts } from "./result/parts.js";
export { parseSipMessage } from "./sip/index.js";
export { BlockPayloads, DroppedPayloads, MemoryPayloads, type BlockCodec, type PayloadStore } from "./model/payloads.js";
export type { TraceModel } from "./model/types.js";
