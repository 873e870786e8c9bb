import type { AnalysisOverview, CauseCode } from "@siplens/contracts";
import { causeName } from "./summary";
import { formatDateTime, formatDuration } from "@siplens/analysis/ladder";
import { formatBytes, formatCount } from "../ui/format";

interface Props {
  overview: AnalysisOverview;
  /** The cause whose calls the call list shows, if any. */
  activeCause: CauseCode | "";
  /** Shows only the calls whose 487s this cause decided ("" shows every call again). */
  onCause: (code: CauseCode | "") => void;
}

export function SummaryBar({ overview, activeCause, onCause }: Props) {
  const { total, byCause: causes } = overview.responses487;
  const span = overview.startTime != null && overview.endTime != null ? overview.endTime - overview.startTime : null;
  return (
    <section className="summary" aria-label="Summary">
      <dl className="summary-facts">
        <div>
          <dt>Format</dt>
          <dd data-testid="summary-format">{overview.formatName}</dd>
        </div>
        <div>
          <dt>Calls</dt>
          <dd data-testid="summary-calls">
            {formatCount(overview.callCount)}
            {overview.correlated?.calls ? (
              <span
                className="muted small"
                data-testid="summary-correlated"
                title="Call-IDs linked as legs of one call across a B2BUA or SBC"
              >{` · ${formatCount(overview.correlated.calls)} correlated (${formatCount(overview.correlated.legs)} legs)`}</span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Messages</dt>
          <dd data-testid="summary-messages">{formatCount(overview.messageCount)}</dd>
        </div>
        <div>
          <dt>Time span</dt>
          <dd title={`${formatDateTime(overview.startTime)} → ${formatDateTime(overview.endTime)}`}>{span == null ? "no timestamps" : formatDuration(span)}</dd>
        </div>
        <div>
          <dt>Start</dt>
          <dd className="mono small">{formatDateTime(overview.startTime)}</dd>
        </div>
        <div>
          <dt>Input</dt>
          <dd>
            {formatBytes(overview.inputBytes)}
            {overview.duplicatesDropped ? ` · ${formatCount(overview.duplicatesDropped)} duplicates dropped` : ""}
          </dd>
        </div>
      </dl>
      <div className="summary-487">
        <span className="summary-487-total">
          <strong>{formatCount(total)}</strong> × 487
        </span>
        {causes.length > 0 && (
          <ul className="cause-list" aria-label="487s by cause">
            {causes.map((c) => {
              const active = activeCause === c.code;
              return (
                <li key={c.code}>
                  <button
                    type="button"
                    className={`cause cause-${c.code}${c.severity ? ` cause-sev-${c.severity}` : ""}`}
                    aria-pressed={active}
                    title={active ? "Show every call again" : `Show the calls whose 487s ${causeName(c.code)} decided`}
                    onClick={() => onCause(active ? "" : c.code)}
                    data-testid="cause-chip"
                    data-code={c.code}
                  >
                    <span>{causeName(c.code)}</span> <strong>{formatCount(c.count)}</strong>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {(overview.oneSided || overview.coverage.length > 0 || overview.problemCount > 0) && (
        <div className="summary-notes small">
          {overview.coverage.length > 0 && (
            <span>
              Path seen: {overview.coverage.join(", ")}
              {overview.coverageCount > overview.coverage.length && ` and ${formatCount(overview.coverageCount - overview.coverage.length)} more hops`}
            </span>
          )}
          {overview.oneSided && <span className="warn-text">One-sided log: no addresses, lanes are inferred.</span>}
          {overview.problemCount > 0 && (
            <details>
              <summary>
                {formatCount(overview.problemCount)} input problem{overview.problemCount === 1 ? "" : "s"}
              </summary>
              <ul className="problem-list">
                {overview.problems.slice(0, 200).map((p, i) => (
                  <li key={i} className={p.severity === "error" ? "error-text" : undefined}>
                    <span className="mono">{p.where}</span>: {p.message}
                  </li>
                ))}
              </ul>
              {overview.problemCount > Math.min(200, overview.problems.length) && (
                <p className="muted small">The first {formatCount(Math.min(200, overview.problems.length))} are listed.</p>
              )}
            </details>
          )}
        </div>
      )}
    </section>
  );
}
