/** The overview part: what the analysis page shows before any call is opened. */
import {
  OTHER_HOSTS_LANE,
  OVERVIEW_MAX_COVERAGE,
  OVERVIEW_MAX_FINDINGS,
  OVERVIEW_MAX_LANES,
  OVERVIEW_MAX_PROBLEMS,
  type AnalysisOverview,
  type CallIndexRow,
  type Finding,
  type Lane,
} from "@siplens/contracts";
import { traceEndTime, type Host, type TraceModel } from "../model/types.js";
import { summaryOnlyNotice } from "../ingest/text/formats/summaries.js";
import { timeDigitsOf } from "./time-digits.js";

export function laneView(host: Host): Lane {
  return { id: host.id, name: host.name, addresses: host.addresses };
}

function laneViews(model: TraceModel): Lane[] {
  return [...model.hosts.values()].map(laneView);
}

/**
 * The whole-trace ladder's lanes: every host when they fit, else the busiest hosts (by messages
 * sent and received) in ladder order and one lane that stands for all the others.
 */
function overviewLanes(model: TraceModel): Lane[] {
  const all = laneViews(model);
  if (all.length <= OVERVIEW_MAX_LANES) return all;
  const traffic = new Map<string, number>();
  for (const m of model.messages) {
    traffic.set(m.srcHost, (traffic.get(m.srcHost) ?? 0) + 1);
    traffic.set(m.dstHost, (traffic.get(m.dstHost) ?? 0) + 1);
  }
  const busiest = new Set(
    [...all]
      .sort((a, b) => (traffic.get(b.id) ?? 0) - (traffic.get(a.id) ?? 0))
      .slice(0, OVERVIEW_MAX_LANES - 1)
      .map((l) => l.id),
  );
  const others = all.length - busiest.size;
  return [...all.filter((l) => busiest.has(l.id)), { id: OTHER_HOSTS_LANE, name: `${others.toLocaleString("en-US")} other hosts`, addresses: [] }];
}

/** A summary format that still yielded messages (a mixed paste) is analysed as usual. */
function summaryOnlyOf(model: TraceModel): Pick<AnalysisOverview, "summaryOnly"> {
  const notice = model.messages.length === 0 ? summaryOnlyNotice(model.formatName) : undefined;
  return notice ? { summaryOnly: notice } : {};
}

export function buildOverview(
  model: TraceModel,
  findings: readonly Finding[],
  calls: readonly CallIndexRow[],
  responses487: AnalysisOverview["responses487"],
  inputBytes: number,
): AnalysisOverview {
  const findingTotals: AnalysisOverview["findingTotals"] = {};
  for (const f of findings) findingTotals[f.code] = (findingTotals[f.code] ?? 0) + 1;
  const outcomeTotals: AnalysisOverview["outcomeTotals"] = {};
  for (const c of calls) outcomeTotals[c.outcome] = (outcomeTotals[c.outcome] ?? 0) + 1;
  return {
    format: model.format,
    formatName: model.formatName,
    messageCount: model.messages.length,
    callCount: calls.length,
    correlated: { calls: model.correlation?.groups.length ?? 0, legs: model.correlation?.groupOf.size ?? 0 },
    duplicatesDropped: model.duplicatesDropped,
    inputBytes,
    startTime: model.startTime,
    // a capture runs on after its last SIP message (RTP, TCP close): the time span is the capture's
    endTime: traceEndTime(model),
    oneSided: model.oneSided,
    lanes: overviewLanes(model),
    laneCount: model.hosts.size,
    coverage: model.coverage.summary.slice(0, OVERVIEW_MAX_COVERAGE),
    coverageCount: model.coverage.summary.length,
    findingCount: findings.length,
    findingTotals,
    outcomeTotals,
    responses487,
    traceFindings: findings.filter((f) => f.callIds.length !== 1).slice(0, OVERVIEW_MAX_FINDINGS),
    problems: model.problems.slice(0, OVERVIEW_MAX_PROBLEMS),
    problemCount: model.problems.length,
    hasRetransmissions: model.messages.some((m) => m.retransmissionOf !== undefined),
    ...summaryOnlyOf(model),
    timeDigits: timeDigitsOf(model.messages),
  };
}
