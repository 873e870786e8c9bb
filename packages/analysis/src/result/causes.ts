/**
 * "487s by cause": each 487 counted once, under the single most decisive call finding that
 * covers it, so an error-level missing ACK or a fork nobody answered is not hidden behind the
 * caller hang-up that started it.
 */
import type { AnalysisOverview, CauseCode, Finding, FindingCode, Severity } from "@siplens/contracts";
import type { TraceModel } from "../model/types.js";

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/**
 * Between findings of one severity, the more specific reading decides: a protocol fault before a
 * fork's outcome, before a timer, before a race, before the plain hang-up that every CANCEL is.
 * Trace-wide patterns never decide (they group calls whose own findings do).
 */
const SPECIFICITY: readonly FindingCode[] = [
  "missing-ack",
  "487-after-2xx",
  "final-mapped-to-487",
  "no-winner",
  "proxy-timeout",
  "cancel-200-race",
  "487-without-cancel",
  "cancel-unmatched",
  "alg-suspect",
  "fork-branch-lost",
  "late-cancel",
  "caller-hangup",
];

const specificity = (code: FindingCode) => {
  const at = SPECIFICITY.indexOf(code);
  return at === -1 ? SPECIFICITY.length : at;
};

/** Negative when `a` decides over `b`. */
function compareDecisiveness(a: Pick<Finding, "code" | "severity">, b: Pick<Finding, "code" | "severity">): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || specificity(a.code) - specificity(b.code);
}

const decisive = (current: Finding | undefined, candidate: Finding) =>
  current === undefined || compareDecisiveness(candidate, current) < 0 ? candidate : current;

export interface Decided487s {
  responses487: AnalysisOverview["responses487"];
  /** The causes that decided each call's 487s (a forked call may have several), worst first. */
  causesByCall: Map<string, CauseCode[]>;
}

/**
 * For each 487 (first copies: a retransmission is the same response), the most decisive call
 * finding naming it or one of its retransmissions as evidence, else the most decisive finding of
 * its call, else "unexplained".
 */
export function decide487Causes(model: TraceModel, findings: readonly Finding[]): Decided487s {
  const byEvidence = new Map<number, Finding>();
  const byCall = new Map<string, Finding>();
  for (const finding of findings) {
    const only = finding.callIds.length === 1 ? finding.callIds[0] : undefined;
    if (only === undefined) continue;
    for (const index of finding.evidence) byEvidence.set(index, decisive(byEvidence.get(index), finding));
    byCall.set(only, decisive(byCall.get(only), finding));
  }
  const namedIn = new Map<number, Finding>();
  for (const [index, finding] of byEvidence) {
    const first = model.messages[index]?.retransmissionOf ?? index;
    namedIn.set(first, decisive(namedIn.get(first), finding));
  }

  const counts = new Map<CauseCode, { count: number; finding?: Finding }>();
  const causesByCall = new Map<string, CauseCode[]>();
  let total = 0;
  for (const m of model.messages) {
    if (m.status !== 487 || m.retransmissionOf !== undefined) continue;
    total++;
    const finding = namedIn.get(m.index) ?? byCall.get(m.callId);
    const code: CauseCode = finding?.code ?? "unexplained";
    const entry = counts.get(code);
    if (entry) {
      entry.count++;
      if (finding && entry.finding && compareDecisiveness(finding, entry.finding) < 0) entry.finding = finding;
    } else counts.set(code, { count: 1, ...(finding ? { finding } : {}) });
    const causes = causesByCall.get(m.callId);
    if (!causes) causesByCall.set(m.callId, [code]);
    else if (!causes.includes(code)) causes.push(code);
  }

  const ranked = [...counts].sort(([, a], [, b]) => worstFirst(a.finding, b.finding) || b.count - a.count);
  const order = new Map(ranked.map(([code], i) => [code, i]));
  for (const causes of causesByCall.values()) causes.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return {
    responses487: {
      total,
      byCause: ranked.map(([code, { count, finding }]) => ({ code, count, ...(finding ? { severity: finding.severity } : {}) })),
    },
    causesByCall,
  };
}

/** Worst cause first; 487s no finding explains come last. */
function worstFirst(a: Finding | undefined, b: Finding | undefined): number {
  if (a && b) return compareDecisiveness(a, b);
  return a ? -1 : b ? 1 : 0;
}
