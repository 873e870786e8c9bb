import type { Finding } from "@siplens/contracts";
import { FINDING_NAMES } from "./summary";
import { windowLabel } from "@siplens/analysis/ladder";
import { messageName } from "../ui/messageName";
import { describeError } from "../api/errors";
import { formatCount } from "../ui/format";
import { rfcLink } from "../ui/rfc";
import { guidePath } from "../guide/paths";
import { Link } from "react-router";
import { detailRows, type DetailRow } from "./findingDetails";

/** One measured fact: words, links to the messages it names, or a list. */
function DetailValue({ row, onShowMessage }: { row: DetailRow; onShowMessage: (index: number) => void }) {
  return (
    <dd className="mono">
      {row.text}
      {row.messages?.map((index) => (
        <button key={index} type="button" className="link mono" onClick={() => onShowMessage(index)}>
          #{index}
        </button>
      ))}
      {row.items && (
        <ul className="detail-items">
          {row.items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      )}
    </dd>
  );
}

interface Props {
  findings: readonly Finding[];
  /** Findings in scope, loaded or not. */
  total: number;
  selected: Finding | null;
  onSelect: (finding: Finding) => void;
  onShowMessage: (index: number) => void;
  /** Said when the scope has none. */
  emptyText: string;
  loading?: boolean;
  error?: Error | null;
  /** Loads the next page, when there is one. */
  onMore?: () => void;
  loadingMore?: boolean;
  /** Decimal places of a second the input's times carry (overview.timeDigits). */
  timeDigits?: number;
}

/** Every diagnosis in scope: severity, title, explanation, measured facts, RFC references; selecting one jumps to its evidence. */
export function FindingsPanel({
  findings,
  total,
  selected: active,
  onSelect,
  onShowMessage,
  emptyText,
  loading,
  error,
  onMore,
  loadingMore,
  timeDigits,
}: Props) {
  const selectedId = active?.id ?? null;
  // The selected finding stays in view even when it came from elsewhere (a share link, n/p).
  const shown = active && !findings.some((f) => f.id === active.id) ? [...findings, active] : findings;
  return (
    <section className="panel findings-panel" aria-labelledby="findings-title" aria-busy={loading}>
      <div className="panel-head">
        <h2 id="findings-title">
          Findings <span className="muted">{loading ? "…" : formatCount(total)}</span>
        </h2>
        <span className="muted small">n / p</span>
      </div>
      {loading && (
        <p className="muted empty" role="status">
          Loading findings…
        </p>
      )}
      {error && (
        <p className="error-text empty" role="alert">
          The findings could not be loaded. {describeError(error)}
        </p>
      )}
      {!loading && !error && total === 0 && <p className="muted empty">{emptyText}</p>}
      <ol className="finding-list">
        {shown.map((finding) => {
          const selected = finding.id === selectedId;
          const window = windowLabel(finding, timeDigits);
          return (
            <li
              key={finding.id}
              className={`finding sev-${finding.severity}${selected ? " selected" : ""}`}
              data-testid="finding"
              data-code={finding.code}
              data-finding-id={finding.id}
            >
              <button
                type="button"
                className="finding-head"
                onClick={() => onSelect(finding)}
                aria-expanded={selected}
                aria-controls={`finding-body-${finding.id}`}
              >
                <span className={`sev sev-${finding.severity}`}>{finding.severity}</span>
                <span className="finding-title">{finding.title}</span>
                <span className="finding-code mono">{finding.code}</span>
              </button>
              {selected && (
                <div className="finding-body" id={`finding-body-${finding.id}`}>
                  <p>{finding.explanation}</p>
                  {window && <p className="window-note mono small">{window}</p>}
                  <dl className="details">
                    {detailRows(finding).map((row) => (
                      <div key={row.key}>
                        <dt>{row.label}</dt>
                        <DetailValue row={row} onShowMessage={onShowMessage} />
                      </div>
                    ))}
                    <div>
                      <dt>Confidence</dt>
                      <dd className="mono">{Math.round(finding.confidence * 100)}%</dd>
                    </div>
                    {finding.callIds.length > 0 && (
                      <div>
                        <dt>Calls</dt>
                        <dd className="mono small">{finding.callIds.length > 3 ? `${finding.callIds.length} calls` : finding.callIds.join(", ")}</dd>
                      </div>
                    )}
                  </dl>
                  {finding.rfc.length > 0 && (
                    <p className="rfc small">
                      {finding.rfc.map((ref) => (
                        <a key={ref} href={rfcLink(ref)} target="_blank" rel="noreferrer noopener">
                          {ref}
                        </a>
                      ))}
                    </p>
                  )}
                  <p className="small guide-link">
                    <Link to={guidePath(finding.code)}>What “{FINDING_NAMES[finding.code]}” means, and what to check next</Link>
                  </p>
                  <p className="small evidence-links">
                    Evidence:{" "}
                    {finding.evidence.slice(0, 30).map((index, k) => (
                      <button key={index} type="button" className="link mono" onClick={() => onShowMessage(index)}>
                        {messageName(finding.evidenceWhere?.[k], index)}
                      </button>
                    ))}
                    {finding.evidence.length > 30 && <span className="muted"> +{finding.evidence.length - 30} more</span>}
                  </p>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {onMore && (
        <button type="button" className="btn btn-small btn-ghost more" onClick={onMore} disabled={loadingMore}>
          {loadingMore ? "Loading more findings…" : `Show more (${formatCount(Math.max(0, total - findings.length))} not shown)`}
        </button>
      )}
    </section>
  );
}
