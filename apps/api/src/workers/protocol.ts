import type { FormatId } from "@siplens/contracts";

/** Messages between the API and an analysis worker thread. One worker runs one task at a time. */
export type ToWorker =
  | { type: "stream-start"; maxInputBytes: number }
  | { type: "chunk"; data: Uint8Array }
  | { type: "stream-finish" }
  | { type: "text"; text: string; maxInputBytes: number }
  /** Stores the analysis just finished, in parts, from this thread (see commit.ts). */
  | { type: "commit"; target: CommitTarget };

export type FromWorker =
  | { type: "ready" }
  | { type: "ack" }
  | { type: "progress"; bytesRead: number }
  | { type: "analysed"; output: AnalysisOutput }
  | { type: "committed"; committed: boolean; memory: WorkerMemory }
  | { type: "failed"; error: WorkerFailure };

/** Where a finished analysis goes. */
export type CommitTarget =
  /** A job's analysis: written with the job marked done, or not at all when another instance owns the job now. */
  | { kind: "job"; jobId: string; workerId: string }
  /** A paste analysed inline: its input pieces, the analysis and its parts in one transaction. */
  | { kind: "new"; analysis: NewAnalysisMeta; inputPieces: Uint8Array[] }
  /** A legacy analysis (one whole result, parts_version 0) re-analysed from its input into parts. */
  | { kind: "upgrade"; analysisId: string };

export interface NewAnalysisMeta {
  id: string;
  ownerId: string | null;
  anonKeyHash: string | null;
  title: string;
  sha256: string;
}

/** Passed to every worker thread. */
export interface WorkerData {
  /** The worker stores results itself, so they never cross the API's event loop. */
  databaseUrl: string | null;
  /** Nice value for this thread (Linux): big analyses yield the CPU to requests answered at once. */
  niceness?: number;
}

/** Peak memory of the worker during its last task (MiB): heap of this isolate, RSS of the process. */
export interface WorkerMemory {
  heapMb: number;
  rssMb: number;
}

export interface WorkerFailure {
  /** "commit": the analysis is fine but storing it failed (database); the job must be retried, not failed. */
  kind: "not-a-trace" | "too-large" | "error" | "commit";
  message: string;
  tried?: string[];
}

/** The counts of an analysis, as the analysis row stores them. Its parts stay in the worker until committed. */
export interface AnalysisOutput {
  format: FormatId;
  formatName: string;
  inputBytes: number;
  messageCount: number;
  callCount: number;
  findingCount: number;
}
