import type { AnalysisResult, Finding, Lane, LadderRow } from "@siplens/contracts";
import { formatMs, formatRowTime, type TimeMode } from "./time";

export interface LadderOptions {
  /** Calls to show; empty = the whole trace. */
  callIds: ReadonlySet<string>;
  collapseRetransmissions: boolean;
  timeMode: TimeMode;
}

export interface VisibleRow {
  row: LadderRow;
  /** Position of the row in the visible list (what the virtualizer indexes). */
  position: number;
  fromLane: number;
  toLane: number;
  timeText: string;
  /** Copies of this message hidden by collapsing (0 when none or not collapsed). */
  hiddenRetransmissions: number;
}

export interface LadderModel {
  lanes: Lane[];
  rows: VisibleRow[];
  /** message index -> visible position; retransmissions hidden by collapsing map to their original. */
  positionOf: Map<number, number>;
}

/**
 * Reduces the trace's ladder to what the viewer asked for: the selected calls, retransmissions folded
 * into their first copy, only the lanes those rows touch (in the analyzer's order), and the time column.
 */
export function buildLadderModel(result: AnalysisResult, options: LadderOptions): LadderModel {
  const { ladder } = result;
  const allCalls = options.callIds.size === 0;
  const selected = allCalls ? ladder.rows : ladder.rows.filter((row) => options.callIds.has(row.callId));

  const hiddenCount = new Map<number, number>();
  const retransmissionOriginal = new Map<number, number>();
  let kept: LadderRow[] = selected;
  if (options.collapseRetransmissions) {
    kept = [];
    for (const row of selected) {
      if (row.retransmission) {
        const original = result.messages[row.index]?.retransmissionOf ?? findOriginal(kept, row);
        if (original !== undefined) {
          hiddenCount.set(original, (hiddenCount.get(original) ?? 0) + 1);
          retransmissionOriginal.set(row.index, original);
          continue;
        }
      }
      kept.push(row);
    }
  }

  const usedLaneIds = new Set<string>();
  for (const row of kept) {
    usedLaneIds.add(row.from);
    usedLaneIds.add(row.to);
  }
  const lanes = ladder.lanes.filter((lane) => usedLaneIds.has(lane.id));
  // Rows may name a lane the lane list lacks (defensive): append it so no arrow points nowhere.
  for (const id of usedLaneIds) if (!lanes.some((lane) => lane.id === id)) lanes.push({ id, name: id, addresses: [id] });
  const laneIndex = new Map(lanes.map((lane, i) => [lane.id, i]));

  const start = firstTime(kept);
  const rows: VisibleRow[] = [];
  const positionOf = new Map<number, number>();
  let previousTime: number | null = null;
  kept.forEach((row, position) => {
    rows.push({
      row,
      position,
      fromLane: laneIndex.get(row.from) ?? 0,
      toLane: laneIndex.get(row.to) ?? 0,
      timeText: formatRowTime(options.timeMode, row.time, previousTime, start),
      hiddenRetransmissions: hiddenCount.get(row.index) ?? 0,
    });
    positionOf.set(row.index, position);
    if (row.time != null) previousTime = row.time;
  });
  for (const [copy, original] of retransmissionOriginal) {
    const position = positionOf.get(original);
    if (position !== undefined) positionOf.set(copy, position);
  }
  return { lanes, rows, positionOf };
}

function findOriginal(kept: LadderRow[], row: LadderRow): number | undefined {
  for (let i = kept.length - 1; i >= 0; i--) {
    const candidate = kept[i];
    if (candidate && candidate.transactionId === row.transactionId && candidate.label === row.label && candidate.from === row.from) return candidate.index;
  }
  return undefined;
}

function firstTime(rows: LadderRow[]): number | null {
  for (const row of rows) if (row.time != null) return row.time;
  return null;
}

/** Message indices of the transaction a message belongs to (hover highlights them all). */
export function transactionMembers(result: AnalysisResult, transactionId: string | undefined): Set<number> {
  const members = new Set<number>();
  if (!transactionId) return members;
  for (const row of result.ladder.rows) if (row.transactionId === transactionId) members.add(row.index);
  return members;
}

export interface FindingWindow {
  findingId: string;
  startPosition: number;
  endPosition: number;
  label: string;
  severity: Finding["severity"];
}

/** Measured intervals a finding rests on, with readable names, in the order they are worth showing. */
const INTERVAL_KEYS: ReadonlyArray<[string, string]> = [
  ["ringTimeMs", "ring time"],
  ["raceGapMs", "race gap"],
  ["intervalMs", "interval"],
  ["inviteToCancelMs", "INVITE→CANCEL"],
  ["timerMs", "timer"],
  ["waitedMs", "waited"],
  ["silenceMs", "no ACK for"],
  ["spanMs", "span"],
];

/** The label for a finding's time window, e.g. "ring time 4.21 s · Timer C", or null when it measures no time. */
export function windowLabel(finding: Finding): string | null {
  const parts: string[] = [];
  for (const [key, name] of INTERVAL_KEYS) {
    const value = finding.details[key];
    if (typeof value === "number" && Number.isFinite(value)) parts.push(`${name} ${formatMs(value)}`);
  }
  const timer = finding.details.timer ?? finding.details.nearestTimer;
  if (typeof timer === "string" && timer) parts.push(timer);
  else if (timer && typeof timer === "object" && "name" in timer && typeof timer.name === "string") {
    const nominal = "nominalMs" in timer && typeof timer.nominalMs === "number" ? ` (${formatMs(timer.nominalMs)})` : "";
    parts.push(`${timer.name}${nominal}`);
  }
  return parts.length ? parts.join(" · ") : null;
}

/**
 * Brackets drawn beside the ladder for findings that measure time (ring time, race gap, timer):
 * from the first to the last evidence row that is visible.
 */
export function findingWindows(findings: readonly Finding[], positionOf: ReadonlyMap<number, number>): FindingWindow[] {
  const windows: FindingWindow[] = [];
  for (const finding of findings) {
    const label = windowLabel(finding);
    if (!label) continue;
    const positions = finding.evidence.map((index) => positionOf.get(index)).filter((p): p is number => p !== undefined);
    if (positions.length < 2) continue;
    const startPosition = Math.min(...positions);
    const endPosition = Math.max(...positions);
    if (endPosition === startPosition) continue;
    windows.push({ findingId: finding.id, startPosition, endPosition, label, severity: finding.severity });
  }
  return windows;
}

/** Evenly spaced lane centres, at least `minSpacing` apart, filling `width` when there is room. */
export function laneGeometry(laneCount: number, width: number, gutter: number, minSpacing = 150) {
  const available = Math.max(0, width - gutter);
  const spacing = laneCount > 0 ? Math.max(minSpacing, Math.floor(available / laneCount)) : minSpacing;
  const centres = Array.from({ length: laneCount }, (_, i) => gutter + spacing * i + spacing / 2);
  return { spacing, centres, totalWidth: gutter + spacing * laneCount };
}

/** Fork branches get distinct colours; branch 0 (not forked / first branch) uses the default ink. */
export const BRANCH_COLOURS = ["#1f2937", "#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f"] as const;
export function branchColour(branchIndex: number): string {
  return BRANCH_COLOURS[Math.abs(branchIndex) % BRANCH_COLOURS.length] ?? "#1f2937";
}
