/**
 * Ladder layout for a subset of calls, independent of any UI: the lanes those calls crossed (in
 * the order the full ladder has them) and their rows with times recomputed for the subset.
 */
import type { AnalysisResult, Ladder, LadderRow } from "@siplens/contracts";

/** Fills delta (since the previous timed row) and sinceStart (since the first timed row). */
export function withRelativeTimes(rows: LadderRow[]): LadderRow[] {
  let previous: number | null = null;
  let start: number | null = null;
  return rows.map((r) => {
    if (start === null && r.time !== null) start = r.time;
    const out: LadderRow = {
      ...r,
      delta: r.time !== null && previous !== null ? r.time - previous : null,
      sinceStart: r.time !== null && start !== null ? r.time - start : null,
    };
    if (r.time !== null) previous = r.time;
    return out;
  });
}

export function buildLadder(result: AnalysisResult, callIds?: readonly string[]): Ladder {
  const wanted = callIds ? new Set(callIds) : undefined;
  const rows = withRelativeTimes(wanted ? result.ladder.rows.filter((r) => wanted.has(r.callId)) : result.ladder.rows);
  const used = new Set<string>();
  for (const r of rows) {
    used.add(r.from);
    used.add(r.to);
  }
  return { lanes: result.ladder.lanes.filter((l) => used.has(l.id)), rows };
}
