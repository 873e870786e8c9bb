/**
 * The human summary the CLI prints by default: what was read, each call with its outcome and
 * findings (with evidence indices), the trace-wide findings, and the problems.
 */
import type { AnalysisResult, CallView, Finding } from "@siplens/contracts";

function time(t: number | null): string {
  return t === null ? "?" : new Date(t * 1000).toISOString().replace("T", " ").replace("Z", " UTC");
}

function duration(a: number | null, b: number | null): string {
  return a === null || b === null ? "" : ` (${(b - a).toFixed(3)} s)`;
}

function indent(text: string, prefix: string, width = 100): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && prefix.length + line.length + word.length + 1 > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(prefix + line);
  return lines;
}

function findingLines(f: Finding, prefix: string): string[] {
  const out = [`${prefix}[${f.severity}] ${f.code}: ${f.title} (confidence ${f.confidence.toFixed(2)})`];
  out.push(...indent(f.explanation, `${prefix}    `));
  const evidence = f.evidence.length ? f.evidence.map((i) => `#${i}`).join(", ") : "none";
  out.push(`${prefix}    evidence: messages ${evidence}${f.rfc.length ? `; ${f.rfc.join(", ")}` : ""}`);
  const facts = Object.entries(f.details)
    .filter(([, v]) => v !== undefined && v !== null && typeof v !== "object")
    .map(([k, v]) => `${k}=${String(v)}`);
  if (facts.length) out.push(...indent(facts.join(", "), `${prefix}    details: `));
  if (f.callIds.length > 1) out.push(`${prefix}    calls: ${f.callIds.length} (${f.callIds.slice(0, 5).join(", ")}${f.callIds.length > 5 ? ", …" : ""})`);
  return out;
}

function callLines(c: CallView): string[] {
  const status = c.finalStatus !== undefined ? ` (${c.finalStatus})` : "";
  const outcome = c.outcome === "no-invite" ? `no INVITE (${[...new Set(c.transactions.map((t) => t.method))].join(", ")})` : c.outcome;
  const fork = c.branches > 1 ? `, forked into ${c.branches} branches` : "";
  const out = [
    `Call ${c.callId} — ${c.messageCount} messages, ${outcome}${status}${fork}`,
    `  ${c.from ?? "?"} → ${c.to ?? "?"}; ${time(c.startTime)}${duration(c.startTime, c.endTime)}`,
    `  hosts: ${c.hosts.join(" → ")}`,
  ];
  for (const f of c.findings) out.push(...findingLines(f, "  "));
  return out;
}

/** Calls beyond this are summarised by outcome instead of listed one by one. */
const MAX_LISTED_CALLS = 50;

export function formatSummary(result: AnalysisResult, source: string): string {
  const out: string[] = [];
  out.push(`siplens analysis of ${source}`);
  out.push(`Format: ${result.formatName} (${result.format}); ${result.messageCount} SIP messages` +
    `${result.duplicatesDropped ? `, ${result.duplicatesDropped} capture duplicates dropped` : ""}; ${result.calls.length} calls`);
  if (result.startTime !== null) out.push(`Time: ${time(result.startTime)}${duration(result.startTime, result.endTime)}`);
  if (result.oneSided) out.push("View: one-sided (the format has no addresses; lanes inferred from Via/Request-URI)");
  if (result.coverage.length) out.push(`Coverage: ${result.coverage.join("; ")}`);
  out.push("");
  const listed = result.calls.filter((c, i) => i < MAX_LISTED_CALLS || c.findings.length > 0);
  for (const c of listed.slice(0, MAX_LISTED_CALLS * 4)) out.push(...callLines(c), "");
  if (listed.length < result.calls.length) {
    const byOutcome = new Map<string, number>();
    for (const c of result.calls) byOutcome.set(c.outcome, (byOutcome.get(c.outcome) ?? 0) + 1);
    out.push(`… ${result.calls.length - listed.length} more calls without findings. Outcomes of all calls: ` +
      [...byOutcome].map(([k, n]) => `${k} ${n}`).join(", "), "");
  }
  const traceFindings = result.findings.filter((f) => f.callIds.length !== 1);
  if (traceFindings.length) {
    out.push("Trace findings:");
    for (const f of traceFindings) out.push(...findingLines(f, "  "));
    out.push("");
  }
  const total = result.findings.length;
  out.push(`Findings: ${total === 0 ? "none" : total}`);
  if (result.problems.length) {
    out.push(`Problems (${result.problems.length}):`);
    for (const p of result.problems.slice(0, 100)) out.push(`  ${p.where}: [${p.severity}] ${p.message}`);
    if (result.problems.length > 100) out.push(`  … ${result.problems.length - 100} more (see --json)`);
  } else out.push("Problems: none");
  return out.join("\n") + "\n";
}
