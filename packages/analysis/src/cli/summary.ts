/**
 * The human summary the CLI prints by default: what was read, each call with its outcome and
 * findings (with evidence indices), the trace-wide findings, and the problems.
 */
import type { CallIndexRow, Finding, SummaryOnlyNotice } from "@siplens/contracts";
import type { ResultParts } from "../result/parts.js";
import { itemAt, present } from "../access.js";

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
  // named as Wireshark or the log names them: "frame 2383", "line 340"
  const evidence = f.evidence.length ? f.evidence.map((i, k) => f.evidenceWhere?.[k] ?? `message ${i + 1}`).join(", ") : "none";
  out.push(`${prefix}    evidence: ${evidence}${f.rfc.length ? `; ${f.rfc.join(", ")}` : ""}`);
  const facts = Object.entries(f.details)
    .filter(([, v]) => v !== undefined && v !== null && typeof v !== "object")
    .map(([k, v]) => `${k}=${String(v)}`);
  if (facts.length) out.push(...indent(facts.join(", "), `${prefix}    details: `));
  if (f.callIds.length > 1) out.push(`${prefix}    calls: ${f.callIds.length} (${f.callIds.slice(0, 5).join(", ")}${f.callIds.length > 5 ? ", …" : ""})`);
  return out;
}

function callLines(c: CallIndexRow, methods: string[], findings: readonly Finding[]): string[] {
  const status = c.finalStatus !== undefined ? ` (${c.finalStatus})` : "";
  const outcome = c.outcome === "no-invite" ? `no INVITE (${methods.join(", ")})` : c.outcome;
  const fork = c.branches > 1 ? `, forked into ${c.branches} branches` : "";
  const out = [
    `Call ${c.callId} — ${c.messageCount} messages, ${outcome}${status}${fork}`,
    `  ${c.from ?? "?"} → ${c.to ?? "?"}; ${time(c.startTime)}${duration(c.startTime, c.endTime)}`,
    `  hosts: ${c.hosts.join(" → ")}`,
  ];
  const g = c.group;
  if (g) out.push(`  leg ${g.leg} of ${g.legs} of correlated call ${g.id} (${g.basis}, confidence ${g.confidence.toFixed(2)}): ${g.note}`);
  for (const f of findings) out.push(...findingLines(f, "  "));
  return out;
}

/** Calls beyond this are summarised by outcome instead of listed one by one. */
const MAX_LISTED_CALLS = 50;

export function formatSummary(parts: ResultParts, source: string): string {
  const o = parts.overview;
  const model = parts.model;
  const calls = [...model.calls.values()];
  const own = (i: number) => (parts.grouped.findings.get(itemAt(calls, i).callId) ?? []).filter((f) => f.callIds.length === 1);
  const out: string[] = [];
  out.push(`siplens analysis of ${source}`);
  out.push(
    `Format: ${o.formatName} (${o.format}); ${o.messageCount} SIP messages` +
      `${o.duplicatesDropped ? `, ${o.duplicatesDropped} capture duplicates dropped` : ""}; ${o.callCount} calls`,
  );
  if (o.startTime !== null) out.push(`Time: ${time(o.startTime)}${duration(o.startTime, o.endTime)}`);
  if (o.oneSided) out.push("View: one-sided (the format has no addresses; lanes inferred from Via/Request-URI)");
  if (o.coverage.length) {
    const more = o.coverageCount - o.coverage.length;
    out.push(`Coverage: ${o.coverage.join("; ")}${more > 0 ? `; and ${more.toLocaleString("en-US")} more hops` : ""}`);
  }
  out.push("");
  let listed = 0;
  for (let i = 0; i < calls.length && listed < MAX_LISTED_CALLS * 4; i++) {
    const findings = own(i);
    if (i >= MAX_LISTED_CALLS && findings.length === 0) continue;
    const methods = [...new Set(itemAt(calls, i).transactionIds.map((id) => present(model.transactionById.get(id)).method))];
    out.push(...callLines(itemAt(parts.callRows, i), methods, findings), "");
    listed++;
  }
  if (listed < calls.length) {
    out.push(
      `… ${calls.length - listed} more calls without findings. Outcomes of all calls: ` +
        Object.entries(o.outcomeTotals)
          .map(([k, n]) => `${k} ${n}`)
          .join(", "),
      "",
    );
  }
  const traceFindings = parts.findings.filter((f) => f.callIds.length !== 1);
  if (traceFindings.length) {
    out.push("Trace findings:");
    for (const f of traceFindings) out.push(...findingLines(f, "  "));
    out.push("");
  }
  const total = parts.findings.length;
  out.push(`Findings: ${total === 0 ? "none" : total}`);
  const problems = model.problems;
  if (problems.length) {
    out.push(`Problems (${problems.length}):`);
    for (const p of problems.slice(0, 100)) out.push(`  ${p.where}: [${p.severity}] ${p.message}`);
    if (problems.length > 100) out.push(`  … ${problems.length - 100} more (see --json)`);
  } else out.push("Problems: none");
  return out.join("\n") + "\n";
}

/** Why a summary-only input gives no analysis, and the exact commands that export a usable one. */
export function summaryOnlyText(notice: SummaryOnlyNotice, source: string): string {
  const lines = [`siplens: ${source}: ${notice.reason}`];
  for (const e of notice.exports) lines.push(`  ${e.how}${e.command ? `:\n    ${e.command}` : ""}`);
  return lines.join("\n") + "\n";
}
