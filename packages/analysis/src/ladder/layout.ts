import { OTHER_HOSTS_LANE, type Finding, type Lane, type LadderRow, type MessageSummary } from "@siplens/contracts";
import { ladderRowsOf } from "../result/message-summary.js";
import { matchKnownTimer, type TimerMatch } from "../diagnosis/timers.js";
import { DEFAULT_TIME_DIGITS, formatMs, formatRowTime, type TimeMode } from "./time.js";

export interface LadderOptions {
  collapseRetransmissions: boolean;
  timeMode: TimeMode;
  /** Decimal places of a second the input carries (overview.timeDigits). */
  timeDigits?: number;
  /**
   * "path": lanes in the order the rows first cross them, the first sender leftmost (a call's own
   * ladder: caller, then hop by hop). "given" (default): the order of `lanes` (the whole trace's).
   */
  laneOrder?: "given" | "path";
}

/** What a ladder is drawn from: the trace's lanes and the rows to show (already chosen, in index order). */
export interface LadderInput {
  lanes: readonly Lane[];
  rows: readonly LadderRow[];
  /** The first copy of a retransmitted message, when known (message summaries carry it). */
  retransmissionOf?: (index: number) => number | undefined;
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

/** Anything that maps a message index to a ladder position (a Map, or the identity of a whole-trace ladder). */
export interface PositionLookup {
  get(index: number): number | undefined;
}

/**
 * Reduces rows to what the viewer asked for: retransmissions folded into their first copy, only the
 * lanes those rows touch (in the analyzer's order), and the time column.
 */
export function buildLadderModel(input: LadderInput, options: LadderOptions): LadderModel {
  const hiddenCount = new Map<number, number>();
  const retransmissionOriginal = new Map<number, number>();
  let kept: readonly LadderRow[] = input.rows;
  if (options.collapseRetransmissions) {
    const folded: LadderRow[] = [];
    for (const row of input.rows) {
      if (row.retransmission) {
        const original = input.retransmissionOf?.(row.index) ?? findOriginal(folded, row);
        if (original !== undefined) {
          hiddenCount.set(original, (hiddenCount.get(original) ?? 0) + 1);
          retransmissionOriginal.set(row.index, original);
          continue;
        }
      }
      folded.push(row);
    }
    kept = folded;
  }

  const usedLaneIds = new Set<string>();
  for (const row of kept) {
    usedLaneIds.add(row.from);
    usedLaneIds.add(row.to);
  }
  const known = new Map(input.lanes.map((lane) => [lane.id, lane]));
  const ordered = options.laneOrder === "path" ? [...usedLaneIds] : input.lanes.map((lane) => lane.id).filter((id) => usedLaneIds.has(id));
  // Rows may name a lane the lane list lacks (defensive): append it so no arrow points nowhere.
  for (const id of usedLaneIds) if (!known.has(id) && !ordered.includes(id)) ordered.push(id);
  const lanes = ordered.map((id) => known.get(id) ?? { id, name: id, addresses: [id] });
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
      timeText: formatRowTime(options.timeMode, row.time, previousTime, start, options.timeDigits),
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

/** The messages of several calls as one list in trace order (a message shared by two calls counts once). */
export function mergeCallMessages(calls: ReadonlyArray<{ messages: readonly MessageSummary[] }>): MessageSummary[] {
  if (calls.length === 1) return [...(calls[0]?.messages ?? [])];
  const byIndex = new Map<number, MessageSummary>();
  for (const call of calls) for (const m of call.messages) byIndex.set(m.index, m);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/**
 * The lanes that name the hosts of some calls: each call's own (its labels, even for a host the
 * overview's capped lane list lacks), then the trace's for calls stored without them.
 */
export function callLanes(calls: ReadonlyArray<{ lanes?: readonly Lane[] | undefined }>, traceLanes: readonly Lane[]): Lane[] {
  const byId = new Map<string, Lane>();
  for (const call of calls) for (const lane of call.lanes ?? []) if (!byId.has(lane.id)) byId.set(lane.id, lane);
  for (const lane of traceLanes) if (!byId.has(lane.id)) byId.set(lane.id, lane);
  return [...byId.values()];
}

/**
 * The ladder of some calls from their message summaries (sorted by index): rows, folding, and lanes
 * along the calls' own path (caller leftmost, then hop by hop), not the whole trace's order.
 */
export function callLadderModel(lanes: readonly Lane[], messages: readonly MessageSummary[], options: LadderOptions): LadderModel {
  const byIndex = new Map(messages.map((m) => [m.index, m]));
  return buildLadderModel(
    { lanes, rows: ladderRowsOf(messages), retransmissionOf: (index) => byIndex.get(index)?.retransmissionOf },
    { laneOrder: "path", ...options },
  );
}

/**
 * A row of the whole-trace ladder, read a window at a time: its position is its message index and its
 * times are relative to the trace (`traceStart`) or to the previous message of the trace (row.delta).
 */
export function windowedRow(
  row: LadderRow,
  laneIndex: ReadonlyMap<string, number>,
  timeMode: TimeMode,
  traceStart: number | null,
  timeDigits?: number,
): VisibleRow {
  const previous = row.time != null && row.delta != null ? row.time - row.delta : null;
  return {
    row,
    position: row.index,
    // a host outside the whole-trace lanes is drawn on the lane that stands for the others
    fromLane: laneIndex.get(row.from) ?? laneIndex.get(OTHER_HOSTS_LANE) ?? 0,
    toLane: laneIndex.get(row.to) ?? laneIndex.get(OTHER_HOSTS_LANE) ?? 0,
    timeText: formatRowTime(timeMode, row.time, previous, traceStart, timeDigits),
    hiddenRetransmissions: 0,
  };
}

function findOriginal(kept: readonly LadderRow[], row: LadderRow): number | undefined {
  for (let i = kept.length - 1; i >= 0; i--) {
    const candidate = kept[i];
    if (candidate && candidate.transactionId === row.transactionId && candidate.label === row.label && candidate.from === row.from) return candidate.index;
  }
  return undefined;
}

function firstTime(rows: readonly LadderRow[]): number | null {
  for (const row of rows) if (row.time != null) return row.time;
  return null;
}

/** Message indices of the transaction a message belongs to (hover highlights them all). */
export function transactionMembers(rows: readonly LadderRow[], transactionId: string | undefined): Set<number> {
  const members = new Set<number>();
  if (!transactionId) return members;
  for (const row of rows) if (row.transactionId === transactionId) members.add(row.index);
  return members;
}

export interface FindingWindow {
  findingId: string;
  startPosition: number;
  endPosition: number;
  label: string;
  severity: Finding["severity"];
}

/** The interval a finding measured, with what it spans in words ("cancelled after"). */
export interface MeasuredInterval {
  what: string;
  ms: number;
}

/** What each code measured (details typed by code in @siplens/contracts), or undefined: the input had no times. */
export function measuredInterval(finding: Finding): MeasuredInterval | undefined {
  const of = (what: string, ms: number | undefined) => (ms != null && Number.isFinite(ms) ? { what, ms } : undefined);
  switch (finding.code) {
    case "caller-hangup":
    case "proxy-timeout":
    case "no-winner":
      return of("cancelled after", finding.details.ringTimeMs);
    case "cancel-200-race":
      return of("CANCEL and answer apart by", finding.details.raceGapMs == null ? undefined : Math.abs(finding.details.raceGapMs));
    case "late-cancel":
      return of("cancelled after the answer by", finding.details.sinceAnswerMs) ?? of("cancelled after the final by", finding.details.cancelAfterFinalMs);
    case "fork-branch-lost":
      return of("answered after", finding.details.answerAfterMs);
    case "missing-ack":
      return of("no ACK for", finding.details.silenceAfterMs) ?? of("487 resent over", finding.details.offsetsMs?.at(-1));
    case "487-without-cancel":
      return of("487 after", finding.details.afterInviteMs);
    case "final-mapped-to-487":
      return of("487 after the final by", finding.details.mappedAfterMs);
    case "487-after-2xx":
      return of("487 after the answer by", finding.details.answerTo487Ms);
    case "timer-pattern":
      return of("ended after", finding.details.valueMs);
    case "cluster-487":
    case "cancel-unmatched":
    case "alg-suspect":
      return undefined;
  }
}

/** The known timer a finding's interval matches, within that timer's tolerance; never the merely nearest one. */
function matchedTimer(finding: Finding, interval: MeasuredInterval | undefined): TimerMatch | undefined {
  const timer = "timer" in finding.details ? finding.details.timer : undefined;
  if (timer == null || typeof timer !== "object" || !("name" in timer) || typeof timer.name !== "string") return undefined;
  // stored findings may name a configured or nearest timer: only a known one that the measurement meets counts
  const known = matchKnownTimer(interval?.ms ?? ("observedMs" in timer && typeof timer.observedMs === "number" ? timer.observedMs : undefined));
  return known && known.name === timer.name ? known : undefined;
}

/**
 * The label for a finding's time window: the measured interval, and a known timer only when the
 * measurement matches it ("cancelled after 32.0 s · Timer B (64·T1) 32 s"), at the input's
 * precision; null when it measured no time. The one place ladder labels are worded, formatted with formatMs.
 */
export function windowLabel(finding: Finding, timeDigits = DEFAULT_TIME_DIGITS): string | null {
  const interval = measuredInterval(finding);
  const timer = matchedTimer(finding, interval);
  const parts: string[] = [];
  if (interval) parts.push(`${interval.what} ${formatMs(interval.ms, timeDigits)}`);
  if (timer) parts.push(`${timer.name} ${formatMs(timer.nominalMs, 0)}`);
  return parts.length ? parts.join(" · ") : null;
}

/**
 * Brackets drawn beside the ladder for findings that measure time (ring time, race gap, timer):
 * from the first to the last evidence row that is visible.
 */
export function findingWindows(findings: readonly Finding[], positionOf: PositionLookup, timeDigits?: number): FindingWindow[] {
  const windows: FindingWindow[] = [];
  for (const finding of findings) {
    const label = windowLabel(finding, timeDigits);
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
