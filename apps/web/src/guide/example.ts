import { analyzeBytesToParts } from "@siplens/analysis";
import { callLanes, mergeCallMessages } from "@siplens/analysis/ladder";
import type { Finding, FindingCode, Lane, MessageSummary } from "@siplens/contracts";

/** A trace-wide pattern covers many calls; the guide draws this many of them (enough to see the pattern). */
const MAX_GUIDE_CALLS = 5;

/** What the guide's small ladder is drawn from: the example call(s) and the finding to highlight. */
export interface GuideLadderData {
  lanes: Lane[];
  messages: MessageSummary[];
  finding: Finding;
  callIds: string[];
  timeDigits?: number;
}

/**
 * Runs the real analyzer on a committed trace and picks the finding with `code` on `callId`, with the
 * messages of the calls it covers. Undefined when the analysis does not produce that finding there —
 * the guide then says so rather than drawing a ladder that does not show it.
 */
export function guideExample(bytes: Uint8Array, code: FindingCode, callId: string): GuideLadderData | undefined {
  const parts = analyzeBytesToParts(bytes);
  const finding = parts.findings.find((f) => f.code === code && f.callIds.includes(callId));
  if (!finding) return undefined;
  // The named call first, then the pattern's other calls in trace order.
  const covered = new Set(finding.callIds);
  const shown = [callId, ...parts.callRows.map((r) => r.callId).filter((id) => id !== callId && covered.has(id))].slice(0, MAX_GUIDE_CALLS);
  const wanted = new Set(shown);
  const details = [...parts.callDetails()].filter((d) => wanted.has(d.callId));
  return {
    lanes: callLanes(details, parts.overview.lanes),
    messages: mergeCallMessages(details),
    finding,
    callIds: shown,
    timeDigits: parts.overview.timeDigits,
  };
}
