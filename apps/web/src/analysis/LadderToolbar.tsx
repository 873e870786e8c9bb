import { useState } from "react";
import type { Finding, Lane } from "@siplens/contracts";
import type { LadderModel, TimeMode } from "@siplens/analysis/ladder";
import { downloadBlob, ladderSvg, svgToPng } from "../ladder/exportSvg";
import { textLadder } from "../ladder/textLadder";
import { formatCount } from "../ui/format";

/** What an export draws, and what part of the ladder that is when it is not all of it. */
export interface LadderExport {
  model: LadderModel;
  /** e.g. "rows 1–500 of 505,856 (the loaded window)"; null when the export is the whole scope. */
  coverage: string | null;
}

interface Props {
  rowCount: number;
  laneCount: number;
  timeMode: TimeMode;
  onTimeMode: (mode: TimeMode) => void;
  collapse: boolean;
  onCollapse: (value: boolean) => void;
  /** Why collapsing is unavailable here (the whole-trace ladder is read in windows), if it is. */
  collapseUnavailable?: string;
  laneName: (lane: Lane) => string;
  findings: readonly Finding[];
  scopeLabel: string;
  exportName: string;
  retransmissions: boolean;
  /** Rows to export (all rows of the selected calls, or the loaded window of the whole trace); null while loading. */
  exportRows: () => LadderExport | null;
}

const TIME_MODES: [TimeMode, string][] = [
  ["absolute", "Clock"],
  ["since-start", "Since start"],
  ["delta", "Delta"],
];

const safeName = (name: string) => name.replace(/[^\w.-]+/g, "_").slice(0, 60) || "ladder";

export function LadderToolbar(props: Props) {
  const [notice, setNotice] = useState<string | null>(null);
  const say = (text: string) => {
    setNotice(text);
    setTimeout(() => setNotice((current) => (current === text ? null : current)), 4000);
  };
  const prepare = () => {
    const rows = props.exportRows();
    if (!rows || rows.model.rows.length === 0) {
      say("Nothing to export yet: the rows are still loading.");
      return null;
    }
    const scope = rows.coverage ? `${props.scopeLabel}, ${rows.coverage}` : props.scopeLabel;
    const options = { lanes: rows.model.lanes, rows: rows.model.rows, laneName: props.laneName, findings: props.findings, positionOf: rows.model.positionOf, title: `${props.exportName} — ${scope}` };
    return { options, coverage: rows.coverage, said: (what: string) => (rows.coverage ? `${what} saved: ${rows.coverage}.` : `${what} saved.`) };
  };

  const exportSvg = () => {
    const prepared = prepare();
    if (!prepared) return;
    const { svg } = ladderSvg(prepared.options);
    downloadBlob(new Blob([svg], { type: "image/svg+xml" }), `${safeName(props.exportName)}.svg`);
    say(prepared.said("SVG"));
  };
  const exportPng = async () => {
    const prepared = prepare();
    if (!prepared) return;
    try {
      const { svg, width, height } = ladderSvg(prepared.options);
      downloadBlob(await svgToPng(svg, width, height), `${safeName(props.exportName)}.png`);
      say(prepared.said("PNG"));
    } catch (error) {
      say(error instanceof Error ? error.message : "PNG export failed.");
    }
  };
  const copyText = async () => {
    const prepared = prepare();
    if (!prepared) return;
    const { lanes, rows, laneName, findings, title } = prepared.options;
    const ladder = textLadder(lanes, rows, laneName, findings);
    // A part of the trace says which part, so a pasted ladder is not mistaken for all of it.
    const text = prepared.coverage ? `${title}\n\n${ladder}` : ladder;
    try {
      await navigator.clipboard.writeText(text);
      say(prepared.said("Text ladder").replace(" saved", " copied"));
    } catch {
      downloadBlob(new Blob([text], { type: "text/plain" }), `${safeName(props.exportName)}.txt`);
      say("Clipboard unavailable; text ladder downloaded instead.");
    }
  };

  return (
    <div className="ladder-toolbar">
      <h2 id="ladder-title" className="ladder-heading">
        Ladder <span className="muted">{props.scopeLabel} · {formatCount(props.rowCount)} rows · {props.laneCount} hosts</span>
      </h2>
      <div className="toolbar-controls">
        <div className="segmented" role="radiogroup" aria-label="Time column">
          {TIME_MODES.map(([mode, label]) => (
            <button key={mode} type="button" role="radio" aria-checked={props.timeMode === mode} className={props.timeMode === mode ? "active" : undefined} onClick={() => props.onTimeMode(mode)}>
              {label}
            </button>
          ))}
        </div>
        {props.retransmissions && (
          <label className="check" title={props.collapseUnavailable}>
            <input type="checkbox" checked={props.collapse && !props.collapseUnavailable} disabled={Boolean(props.collapseUnavailable)} onChange={(e) => props.onCollapse(e.target.checked)} /> Collapse retransmissions
          </label>
        )}
        <div className="export-buttons" role="group" aria-label="Export">
          <button type="button" className="btn btn-small" onClick={exportSvg}>SVG</button>
          <button type="button" className="btn btn-small" onClick={() => void exportPng()}>PNG</button>
          <button type="button" className="btn btn-small" onClick={() => void copyText()}>Copy text</button>
        </div>
      </div>
      <span className="toolbar-notice small" role="status" aria-live="polite">{notice}</span>
    </div>
  );
}
