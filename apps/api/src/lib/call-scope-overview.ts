import { OTHER_HOSTS_LANE, type AnalysisOverview, type CallDetail, type CallOutcome, type Finding, type FindingCode } from "@siplens/contracts";

const countBy = <K extends string>(keys: readonly K[]): Partial<Record<K, number>> => {
  const totals: Partial<Record<K, number>> = {};
  for (const key of keys) totals[key] = (totals[key] ?? 0) + 1;
  return totals;
};

/**
 * The overview of a link that shares one call (its legs): counts, times, lanes, totals and problems
 * of those calls only, so nothing of the other calls (their numbers, hosts, findings) is shown.
 * `findings` are the findings that lie within the calls (every call they name is shared).
 */
export function callScopeOverview(overview: AnalysisOverview, details: readonly CallDetail[], findings: readonly Finding[]): AnalysisOverview {
  const messages = details.flatMap((d) => d.messages);
  const indices = new Set(messages.map((m) => m.index));
  const times = messages.flatMap((m) => (m.time === null ? [] : [m.time]));
  const hosts = new Set(details.flatMap((d) => d.hosts));
  const named = new Set(overview.lanes.map((lane) => lane.id));
  const lanes = overview.lanes.filter((lane) => hosts.has(lane.id) || (lane.id === OTHER_HOSTS_LANE && [...hosts].some((h) => !named.has(h))));
  const problems = overview.problems.filter((p) => p.messageIndex !== undefined && indices.has(p.messageIndex));
  const legs = details.filter((d) => d.group).length;

  // Each 487 sent (first copies) goes to the finding that names it as evidence, else its call's first finding.
  const byCause = new Map<FindingCode | "unexplained", number>();
  let total487 = 0;
  for (const detail of details) {
    for (const m of detail.messages) {
      if (m.status !== 487 || m.retransmissionOf !== undefined) continue;
      total487++;
      const cause = findings.find((f) => f.evidence.includes(m.index))?.code ?? detail.findings[0]?.code ?? "unexplained";
      byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
    }
  }

  return {
    ...overview,
    messageCount: messages.length,
    callCount: details.length,
    correlated: legs > 0 ? { calls: 1, legs } : undefined,
    duplicatesDropped: 0,
    startTime: times.length ? Math.min(...times) : null,
    endTime: times.length ? Math.max(...times) : null,
    lanes,
    laneCount: hosts.size,
    // The path hops name hosts of every call: none are shown for one call (its ladder shows its own).
    coverage: [],
    coverageCount: 0,
    findingCount: findings.length,
    findingTotals: countBy(findings.map((f) => f.code)),
    outcomeTotals: countBy<CallOutcome>(details.map((d) => d.outcome)),
    responses487: { total: total487, byCause: [...byCause].map(([code, count]) => ({ code, count })) },
    traceFindings: findings.filter((f) => f.callIds.length !== 1),
    problems,
    problemCount: problems.length,
    hasRetransmissions: messages.some((m) => m.retransmissionOf !== undefined),
  };
}
