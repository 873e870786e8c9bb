import type { FindingCode, FormatId, Severity } from "@siplens/contracts";

/** Messages between the API and an analysis worker thread. One worker runs one task at a time. */
export type ToWorker =
  | { type: "stream-start"; maxInputBytes: number }
  | { type: "chunk"; data: Uint8Array }
  | { type: "stream-finish" }
  | { type: "text"; text: string; maxInputBytes: number }
  | { type: "redact"; resultGz: Uint8Array; title: string }
  /** Stores the analysis just finished as job `jobId`'s result, in this thread (see job-commit.ts). */
  | { type: "commit-job"; jobId: string; workerId: string };

export type FromWorker =
  | { type: "ready" }
  | { type: "ack" }
  | { type: "progress"; bytesRead: number }
  | { type: "analysed"; output: AnalysisOutput }
  | { type: "redacted"; resultGz: Uint8Array; title: string }
  | { type: "committed"; committed: boolean }
  | { type: "failed"; error: WorkerFailure };

/** Passed to every worker thread. */
export interface WorkerData {
  /** Lets the worker commit large results itself, so they never cross the API's event loop. */
  databaseUrl: string | null;
}

export interface WorkerFailure {
  /** "commit": the analysis is fine but storing it failed (database); the job must be retried, not failed. */
  kind: "not-a-trace" | "too-large" | "error" | "commit";
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
