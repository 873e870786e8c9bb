import type { CallOutcome, CauseCode, Finding, FindingCode } from "@siplens/contracts";

export const OUTCOMES: ReadonlyArray<CallOutcome> = ["answered", "cancelled", "busy", "rejected", "failed", "incomplete", "no-invite"];

/** The trace-wide finding whose calls the list shows (what its chip names). */
export type PatternFilter = Pick<Finding, "id" | "title" | "code"> & { calls: number };

/** The filters set from outside the call list: a "487s by cause" chip, a selected pattern. */
export interface CallScope {
  /** Calls whose 487s this cause decided. */
  cause: CauseCode | "";
  pattern: PatternFilter | null;
}

export interface CallFilter extends CallScope {
  outcome: CallOutcome | "";
  finding: FindingCode | "";
  query: string;
}

export const NO_CALL_SCOPE: CallScope = { cause: "", pattern: null };
export const NO_CALL_FILTER: CallFilter = { outcome: "", finding: "", query: "", ...NO_CALL_SCOPE };

/** A finding about several calls: selecting it shows those calls in the list. */
export const isPattern = (f: Pick<Finding, "callIds">) => f.callIds.length > 1;

export const patternFilterOf = (f: Finding): PatternFilter => ({ id: f.id, title: f.title, code: f.code, calls: f.callIds.length });

export const FINDING_NAMES: Record<FindingCode, string> = {
  "caller-hangup": "Caller hang-up",
  "fork-branch-lost": "Fork branch lost",
  "no-winner": "No branch answered",
  "proxy-timeout": "Proxy timeout",
  "cancel-200-race": "CANCEL/200 race",
  "missing-ack": "Missing ACK",
  "487-without-cancel": "487 without CANCEL",
  "final-mapped-to-487": "Final mapped to 487",
  "487-after-2xx": "487 after 2xx",
  "late-cancel": "Late CANCEL",
  "cancel-unmatched": "Unmatched CANCEL",
  "alg-suspect": "SIP ALG suspect",
  "cluster-487": "487 cluster",
  "timer-pattern": "Timer pattern",
};

export function causeName(code: CauseCode): string {
  return code === "unexplained" ? "Not explained" : FINDING_NAMES[code];
}
