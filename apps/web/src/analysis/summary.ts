import type { CallOutcome, FindingCode } from "@siplens/contracts";

export const OUTCOMES: ReadonlyArray<CallOutcome> = ["answered", "cancelled", "busy", "rejected", "failed", "incomplete", "no-invite"];

export interface CallFilter {
  outcome: CallOutcome | "";
  finding: FindingCode | "";
  query: string;
}

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

export function causeName(code: FindingCode | "unexplained"): string {
  return code === "unexplained" ? "Not explained" : FINDING_NAMES[code];
}
