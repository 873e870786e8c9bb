import type { AnalysisResult, CallView, FindingCode } from "@siplens/contracts";

export interface CauseCount {
  code: FindingCode | "unexplained";
  count: number;
}

/**
 * Every 487 sent (first copies only, retransmissions are the same response) attributed to the finding
 * that names it as evidence, else to a finding of its call, else "unexplained".
 */
export function count487ByCause(result: AnalysisResult): { total: number; causes: CauseCount[] } {
  const byEvidence = new Map<number, FindingCode>();
  const byCall = new Map<string, FindingCode>();
  for (const finding of result.findings) {
    for (const index of finding.evidence) if (!byEvidence.has(index)) byEvidence.set(index, finding.code);
    if (finding.callIds.length === 1) {
      const callId = finding.callIds[0];
      if (callId && !byCall.has(callId)) byCall.set(callId, finding.code);
    }
  }
  const counts = new Map<CauseCount["code"], number>();
  let total = 0;
  for (const message of result.messages) {
    if (message.status !== 487 || message.retransmissionOf !== undefined) continue;
    total++;
    const code = byEvidence.get(message.index) ?? byCall.get(message.callId) ?? "unexplained";
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const causes = [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count);
  return { total, causes };
}

export const OUTCOMES: ReadonlyArray<CallView["outcome"]> = ["answered", "cancelled", "busy", "rejected", "failed", "incomplete", "no-invite"];

export interface CallFilter {
  outcome: CallView["outcome"] | "";
  finding: FindingCode | "";
  query: string;
}

/** Search matches numbers/URIs, Call-ID and any host (lane name or address) the call crossed. */
export function filterCalls(result: AnalysisResult, filter: CallFilter, laneNames: ReadonlyMap<string, string>, codesByCall = findingCodesByCall(result)): CallView[] {
  const query = filter.query.trim().toLowerCase();
  const laneText = new Map(result.ladder.lanes.map((lane) => [lane.id, `${laneNames.get(lane.id) ?? ""} ${lane.name} ${lane.addresses.join(" ")}`.toLowerCase()]));
  return result.calls.filter((call) => {
    if (filter.outcome && call.outcome !== filter.outcome) return false;
    if (filter.finding && !codesByCall.get(call.callId)?.has(filter.finding)) return false;
    if (!query) return true;
    if (call.callId.toLowerCase().includes(query)) return true;
    if (call.from?.toLowerCase().includes(query) || call.to?.toLowerCase().includes(query)) return true;
    return call.hosts.some((host) => laneText.get(host)?.includes(query) || host.toLowerCase().includes(query));
  });
}

/** For every call, the codes of its own findings plus the trace patterns that cover it (one pass). */
export function findingCodesByCall(result: AnalysisResult): Map<string, Set<FindingCode>> {
  const byCall = new Map<string, Set<FindingCode>>();
  const add = (callId: string, code: FindingCode) => {
    let codes = byCall.get(callId);
    if (!codes) byCall.set(callId, (codes = new Set()));
    codes.add(code);
  };
  for (const call of result.calls) for (const finding of call.findings) add(call.callId, finding.code);
  for (const finding of result.findings) for (const callId of finding.callIds) add(callId, finding.code);
  return byCall;
}

export const FINDING_NAMES: Record<FindingCode, string> = {
  "caller-hangup": "Caller hang-up",
  "fork-branch-lost": "Fork branch lost",
  "no-winner": "No branch answered",
  "proxy-timeout": "Proxy timeout",
  "cancel-200-race": "CANCEL/200 race",
  "missing-ack": "Missing ACK",
  "487-without-cancel": "487 without CANCEL",
  "late-cancel": "Late CANCEL",
  "cancel-unmatched": "Unmatched CANCEL",
  "alg-suspect": "SIP ALG suspect",
  "cluster-487": "487 cluster",
  "timer-pattern": "Timer pattern",
};

export function causeName(code: CauseCount["code"]): string {
  return code === "unexplained" ? "Not explained" : FINDING_NAMES[code];
}
