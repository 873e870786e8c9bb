/**
 * The order findings are numbered and listed in: trace-wide patterns first (they explain many
 * calls at once, so on a bulk capture they must not sit behind thousands of call findings), then
 * call findings; each worst first. Within one severity the diagnosis's order (trace order) stays.
 */
import type { Finding, Severity } from "@siplens/contracts";

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** A finding about many calls (or none), as the overview's traceFindings are. */
const isTraceWide = (f: Pick<Finding, "callIds">) => f.callIds.length !== 1;

export function orderFindings<F extends Pick<Finding, "callIds" | "severity">>(findings: readonly F[]): F[] {
  const rank = (f: F) => (isTraceWide(f) ? 0 : 3) + SEVERITY_ORDER[f.severity];
  // Array.prototype.sort is stable: equal ranks keep the diagnosis's order.
  return [...findings].sort((a, b) => rank(a) - rank(b));
}
