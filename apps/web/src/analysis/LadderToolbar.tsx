import { useState } from "react";
import type { Finding, Lane } from "@siplens/contracts";
import type { LadderModel } from "@siplens/analysis/ladder";
import type { TimeMode } from "@siplens/analysis/ladder";
import { downloadBlob, EXPORT_MAX_ROWS, ladderSvg, svgToPng } from "../ladder/exportSvg";
import { textLadder } from "../ladder/textLadder";
import { formatCount } from "../ui/format";

interface Props {
  model: LadderModel;
  timeMode: TimeMode;
  onTimeMode: (mode: TimeMode) => void;
  collapse: boolean;
  onCollapse: (value: boolean) => void;
  laneName: (lane: Lane) => string;
  findings: readonly Finding[];
  scopeLabel: string;
  exportName: string;
  retransmissions: boolean;
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
  const exportOptions = () => ({ lanes: props.model.lanes, rows: props.model.rows, laneName: props.laneName, findings: props.findings, positionOf: props.model.positionOf, title: `${props.exportName} — ${props.scopeLabel}` });

  const exportSvg = () => {
    const { svg, truncated } = ladderSvg(exportOptions());
    downloadBlob(new Blob([svg], { type: "image/svg+xml" }), `${safeName(props.exportName)}.svg`);
    say(truncated ? `SVG saved (first ${formatCount(EXPORT_MAX_ROWS)} messages).` : "SVG saved.");
  };
  const exportPng = async () => {
    try {
      const { svg, width, height, truncated } = ladderSvg(exportOptions());
      downloadBlob(await svgToPng(svg, width, height), `${safeName(props.exportName)}.png`);
      say(truncated ? `PNG saved (first ${formatCount(EXPORT_MAX_ROWS)} messages).` : "PNG saved.");
    } catch (error) {
      say(error instanceof Error ? error.message : "PNG export failed.");
    }
  };
  const copyText = async () => {
    const text = textLadder(props.model.lanes, props.model.rows, props.laneName, props.findings);
    try {
      await navigator.clipboard.writeText(text);
      say("Text ladder copied.");
    } catch {
      downloadBlob(new Blob([text], { type: "text/plain" }), `${safeName(props.exportName)}.txt`);
      say("Clipboard unavailable; text ladder downloaded instead.");
    }
  };

  return (
    <div className="ladder-toolbar">
      <h2 id="ladder-title" className="ladder-heading">
        Ladder <span className="muted">{props.scopeLabel} · {formatCount(props.model.rows.length)} rows · {props.model.lanes.length} hosts</span>
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
          <label className="check">
            <input type="checkbox" checked={props.collapse} onChange={(e) => props.onCollapse(e.target.checked)} /> Collapse retransmissions
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
