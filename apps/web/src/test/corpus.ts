import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeBytesToParts, ladderRowsOf, parseSipMessage, type ResultParts } from "@siplens/analysis";
import type {
  AnalysisDetail,
  AnalysisOverview,
  CallDetail,
  CallIndexRow,
  Finding,
  LadderRow,
  MessageBlock,
  MessageDetail,
  MessageSummary,
} from "@siplens/contracts";

/** Vitest runs from apps/web; the examples are the real corpus traces the start page offers. */
function exampleBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(process.cwd(), "public/examples", file)));
}

/** An analysis in the parts the API serves, built by the real analyzer from a shipped example trace. */
export interface ExampleParts {
  overview: AnalysisOverview;
  callRows: CallIndexRow[];
  details: CallDetail[];
  findings: Finding[];
  summaries: MessageSummary[];
  raw: string[];
  /** Whole-trace ladder rows (times relative to the trace), what /window serves. */
  rows: LadderRow[];
}

export function exampleParts(file: string): ExampleParts {
  return partsOf(exampleBytes(file));
}

/** A fixture of the analyzer's (packages/analysis/test/fixtures/<path>). */
export function analyzerFixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(process.cwd(), "../../packages/analysis/test/fixtures", path)));
}

/** The analyzer's own correlation fixtures (legs across a B2BUA), beside the shipped examples. */
export function correlationFixtureBytes(file: string): Uint8Array {
  return analyzerFixtureBytes(`correlation/${file}`);
}

export function partsOf(bytes: Uint8Array): ExampleParts {
  const parts: ResultParts = analyzeBytesToParts(bytes);
  const blocks: MessageBlock[] = [...parts.messageBlocks()];
  const summaries = blocks.flatMap((b) => b.messages);
  return {
    overview: parts.overview,
    callRows: parts.callRows,
    details: [...parts.callDetails()],
    findings: parts.findings,
    summaries,
    raw: blocks.flatMap((b) => b.raw),
    rows: ladderRowsOf(summaries),
  };
}

export function messageDetailOf(parts: ExampleParts, index: number): MessageDetail | undefined {
  const summary = parts.summaries[index];
  const raw = parts.raw[index];
  if (!summary || raw === undefined) return undefined;
  return { ...summary, raw, headers: parseSipMessage(raw).headers.map(({ name, value }) => ({ name, value })) };
}

export function analysisDetailOf(parts: ExampleParts, id: string, extra: Partial<AnalysisDetail> = {}): AnalysisDetail {
  const now = new Date().toISOString();
  const { overview } = parts;
  return {
    id,
    title: "",
    note: "",
    format: overview.format,
    formatName: overview.formatName,
    createdAt: now,
    updatedAt: now,
    expiresAt: now,
    owned: true,
    saved: false,
    inputBytes: overview.inputBytes,
    sha256: "0".repeat(64),
    messageCount: overview.messageCount,
    callCount: overview.callCount,
    findingCount: overview.findingCount,
    overview,
    ...extra,
  };
}
