import type { FindingCode, FormatId, Severity } from "@siplens/contracts";

/** Messages between the API and an analysis worker thread. One worker runs one task at a time. */
export type ToWorker =
  | { type: "stream-start"; maxInputBytes: number }
  | { type: "chunk"; data: Uint8Array }
  | { type: "stream-finish" }
  | { type: "text"; text: string; maxInputBytes: number }
  | { type: "redact"; resultGz: Uint8Array };

export type FromWorker =
  | { type: "ready" }
  | { type: "ack" }
  | { type: "progress"; bytesRead: number }
  | { type: "analysed"; output: AnalysisOutput }
  | { type: "redacted"; resultGz: Uint8Array }
  | { type: "failed"; error: WorkerFailure };

export interface WorkerFailure {
  kind: "not-a-trace" | "too-large" | "error";
  message: string;
  tried?: string[];
}

/** Row of the findings table: what is queryable without opening the result. */
export interface FindingRow {
  findingId: string;
  code: FindingCode;
  severity: Severity;
  title: string;
  callIds: string[];
}

/**
 * The analysis as the API stores it. The result is gzip-compressed JSON made in the worker, so the
 * API's event loop never serialises, parses or escapes a result (large traces give 100+ MB of JSON).
 */
export interface AnalysisOutput {
  resultGz: Uint8Array;
  format: FormatId;
  formatName: string;
  inputBytes: number;
  messageCount: number;
  callCount: number;
  findings: FindingRow[];
}
