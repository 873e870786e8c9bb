import type { AnalysisResult } from "@siplens/contracts";
import { causeName, count487ByCause } from "./summary";
import { formatDateTime, formatDuration } from "@siplens/analysis/ladder";
import { formatBytes, formatCount } from "../ui/format";

export function SummaryBar({ result }: { result: AnalysisResult }) {
  const { total, causes } = count487ByCause(result);
  const span = result.startTime != null && result.endTime != null ? result.endTime - result.startTime : null;
  return (
    <section className="summary" aria-label="Summary">
      <dl className="summary-facts">
        <div><dt>Format</dt><dd data-testid="summary-format">{result.formatName}</dd></div>
        <div><dt>Calls</dt><dd data-testid="summary-calls">{formatCount(result.calls.length)}</dd></div>
        <div><dt>Messages</dt><dd data-testid="summary-messages">{formatCount(result.messageCount)}</dd></div>
        <div><dt>Time span</dt><dd title={`${formatDateTime(result.startTime)} → ${formatDateTime(result.endTime)}`}>{span == null ? "no timestamps" : formatDuration(span)}</dd></div>
        <div><dt>Start</dt><dd className="mono small">{formatDateTime(result.startTime)}</dd></div>
        <div><dt>Input</dt><dd>{formatBytes(result.inputBytes)}{result.duplicatesDropped ? ` · ${formatCount(result.duplicatesDropped)} duplicates dropped` : ""}</dd></div>
      </dl>
      <div className="summary-487">
        <span className="summary-487-total"><strong>{formatCount(total)}</strong> × 487</span>
        {causes.length > 0 && (
          <ul className="cause-list" aria-label="487s by cause">
            {causes.map((c) => (
              <li key={c.code} className={`cause cause-${c.code}`}>
                <span>{causeName(c.code)}</span> <strong>{formatCount(c.count)}</strong>
              </li>
            ))}
          </ul>
        )}
      </div>
      {(result.oneSided || result.coverage.length > 0 || result.problems.length > 0) && (
        <div className="summary-notes small">
          {result.coverage.length > 0 && <span>Path seen: {result.coverage.join(", ")}</span>}
          {result.oneSided && <span className="warn-text">One-sided log: no addresses, lanes are inferred.</span>}
          {result.problems.length > 0 && (
            <details>
              <summary>{formatCount(result.problems.length)} input problem{result.problems.length === 1 ? "" : "s"}</summary>
              <ul className="problem-list">
                {result.problems.slice(0, 200).map((p, i) => (
                  <li key={i} className={p.severity === "error" ? "error-text" : undefined}><span className="mono">{p.where}</span>: {p.message}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
