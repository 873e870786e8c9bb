import { useState } from "react";
import type { Finding } from "@siplens/contracts";
import { FINDING_NAMES } from "./summary";
import { windowLabel } from "@siplens/analysis/ladder";

function detailValue(value: unknown): string {
  if (value == null) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map(detailValue).join(", ");
  return JSON.stringify(value);
}

const humanKey = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/Ms$/, " (ms)").replace(/^./, (c) => c.toUpperCase());

interface Props {
  findings: readonly Finding[];
  selectedId: string | null;
  onSelect: (finding: Finding) => void;
  onShowMessage: (index: number) => void;
  hiddenCount: number;
}

/** Every diagnosis: severity, title, explanation, measured facts, RFC references; selecting one jumps to its evidence. */
const PAGE = 100;

export function FindingsPanel({ findings, selectedId, onSelect, onShowMessage, hiddenCount }: Props) {
  // A bulk trace can carry thousands of findings; render them a page at a time (the selected one always).
  const [limit, setLimit] = useState(PAGE);
  const selectedIndex = findings.findIndex((f) => f.id === selectedId);
  const shown = selectedIndex >= limit ? [...findings.slice(0, limit), findings[selectedIndex]!] : findings.slice(0, limit);
  return (
    <section className="panel findings-panel" aria-labelledby="findings-title">
      <div className="panel-head">
        <h2 id="findings-title">Findings <span className="muted">{findings.length}</span></h2>
        <span className="muted small">n / p</span>
      </div>
      {findings.length === 0 && <p className="muted empty">{hiddenCount ? `No findings for the calls shown (${hiddenCount} elsewhere in the trace).` : "No 487 or CANCEL problem found in this trace."}</p>}
      <ol className="finding-list">
        {shown.map((finding) => {
          const selected = finding.id === selectedId;
          const window = windowLabel(finding);
          return (
            <li key={finding.id} className={`finding sev-${finding.severity}${selected ? " selected" : ""}`} data-testid="finding" data-code={finding.code} data-finding-id={finding.id}>
              <button type="button" className="finding-head" onClick={() => onSelect(finding)} aria-expanded={selected} aria-controls={`finding-body-${finding.id}`}>
                <span className={`sev sev-${finding.severity}`}>{finding.severity}</span>
                <span className="finding-title">{finding.title}</span>
                <span className="finding-code mono">{finding.code}</span>
              </button>
              {selected && (
                <div className="finding-body" id={`finding-body-${finding.id}`}>
                  <p>{finding.explanation}</p>
                  {window && <p className="window-note mono small">{window}</p>}
                  <dl className="details">
                    {Object.entries(finding.details).map(([key, value]) => (
                      <div key={key}><dt>{humanKey(key)}</dt><dd className="mono">{detailValue(value)}</dd></div>
                    ))}
                    <div><dt>Confidence</dt><dd className="mono">{Math.round(finding.confidence * 100)}%</dd></div>
                    {finding.callIds.length > 0 && <div><dt>Calls</dt><dd className="mono small">{finding.callIds.length > 3 ? `${finding.callIds.length} calls` : finding.callIds.join(", ")}</dd></div>}
                  </dl>
                  {finding.rfc.length > 0 && (
                    <p className="rfc small">
                      {finding.rfc.map((ref) => <a key={ref} href={rfcLink(ref)} target="_blank" rel="noreferrer noopener">{ref}</a>)}
                    </p>
                  )}
                  <p className="small evidence-links">
                    Evidence:{" "}
                    {finding.evidence.slice(0, 30).map((index) => (
                      <button key={index} type="button" className="link mono" onClick={() => onShowMessage(index)}>#{index}</button>
                    ))}
                    {finding.evidence.length > 30 && <span className="muted"> +{finding.evidence.length - 30} more</span>}
                  </p>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {findings.length > limit && (
        <button type="button" className="btn btn-small btn-ghost more" onClick={() => setLimit(limit + PAGE)}>
          Show more ({findings.length - limit} not shown)
        </button>
      )}
    </section>
  );
}

export function findingName(code: Finding["code"]): string {
  return FINDING_NAMES[code];
}

function rfcLink(ref: string): string {
  const match = /RFC\s*(\d+)(?:\s*§\s*([\d.]+))?/i.exec(ref);
  if (!match) return "https://www.rfc-editor.org/";
  return `https://www.rfc-editor.org/rfc/rfc${match[1]}${match[2] ? `#section-${match[2]}` : ""}`;
}
