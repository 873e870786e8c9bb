/**
 * @siplens/analysis: SIP trace in, AnalysisResult out. Pure TypeScript (no Node-only imports):
 * the API, the CLI and the browser run the same code. Node stream/file adapters: "@siplens/analysis/node".
 */
export {
  NotATraceError,
  analyzeBytes,
  analyzeStream,
  analyzeText,
  buildTraceModel,
  createAnalyzer,
  createModelAnalyzer,
  type AnalyzeOptions,
  type Analyzer,
  type ModelAnalyzer,
} from "./analyze.js";
export { buildLadder } from "./ladder/index.js";
export { createRedaction, redactResult, type Redaction } from "./model/redact.js";
export type { TraceModel } from "./model/types.js";
