import { useState } from "react";
import type { LadderModel, TimeMode } from "@siplens/analysis/ladder";
import { downloadBlob, ladderSvg, pngPages, svgToPng } from "../ladder/exportSvg";
import { exportFileName, type LadderExportContent } from "../ladder/exportContent";
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
  scopeLabel: string;
  retransmissions: boolean;
  /** What to export (all rows of the selected calls, or the loaded window of the whole trace); null while loading. */
  exportContent: () => LadderExportContent | null;
}

const TIME_MODES: [TimeMode, string][] = [
  ["absolute", "Clock"],
  ["since-start", "Since start"],
  ["delta", "Delta"],
];

export function LadderToolbar(props: Props) {
  const [notice, setNotice] = useState<string | null>(null);
  const say = (text: string) => {
    setNotice(text);
    setTimeout(() => setNotice((current) => (current === text ? null : current)), 6000);
  };
  const prepare = () => {
    const content = props.exportContent();
    if (!content || content.rows.length === 0) {
      say("Nothing to export yet: the rows are still loading.");
      return null;
    }
    return content;
  };

  const exportSvg = () => {
    const content = prepare();
    if (!content) return;
    const { svg } = ladderSvg(content);
    downloadBlob(new Blob([svg], { type: "image/svg+xml" }), exportFileName(content, "svg"));
    say(`SVG saved: ${content.scope}.`);
  };
  const exportPng = async () => {
    const content = prepare();
    if (!content) return;
    const paged = pngPages(content);
    if ("refused" in paged) {
      say(paged.refused);
      return;
    }
    try {
      for (const [k, page] of paged.pages.entries())
        downloadBlob(await svgToPng(page), exportFileName(content, "png", { number: k + 1, of: paged.pages.length }));
      say(paged.pages.length > 1 ? `PNG saved as ${paged.pages.length} pages: ${content.scope}.` : `PNG saved: ${content.scope}.`);
    } catch (error) {
      say(error instanceof Error ? error.message : "PNG export failed.");
    }
  };
  const copyText = async () => {
    const content = prepare();
    if (!content) return;
    const text = textLadder(content);
    try {
      await navigator.clipboard.writeText(text);
      say(`Text ladder copied: ${content.scope}.`);
    } catch {
      downloadBlob(new Blob([text], { type: "text/plain" }), exportFileName(content, "txt"));
      say("Clipboard unavailable; text ladder downloaded instead.");
    }
  };

  return (
    <div className="ladder-toolbar">
      <h2 id="ladder-title" className="ladder-heading">
        Ladder{" "}
        <span className="muted">
          {props.scopeLabel} · {formatCount(props.rowCount)} rows · {props.laneCount} hosts
        </span>
      </h2>
      <div className="toolbar-controls">
        <div className="segmented" role="radiogroup" aria-label="Time column">
          {TIME_MODES.map(([mode, label]) => (
            <button
              key={mode}
              type="button"
              role="radio"
              aria-checked={props.timeMode === mode}
              className={props.timeMode === mode ? "active" : undefined}
              onClick={() => props.onTimeMode(mode)}
            >
              {label}
            </button>
          ))}
        </div>
        {props.retransmissions && (
          <label className="check" title={props.collapseUnavailable}>
            <input
              type="checkbox"
              checked={props.collapse && !props.collapseUnavailable}
              disabled={Boolean(props.collapseUnavailable)}
              onChange={(e) => props.onCollapse(e.target.checked)}
            />{" "}
            Collapse retransmissions
          </label>
        )}
        <div className="export-buttons" role="group" aria-label="Export">
          <button type="button" className="btn btn-small" onClick={exportSvg}>
            SVG
          </button>
          <button type="button" className="btn btn-small" onClick={() => void exportPng()}>
            PNG
          </button>
          <button type="button" className="btn btn-small" onClick={() => void copyText()}>
            Copy text
          </button>
        </div>
      </div>
      <span className="toolbar-notice small" role="status" aria-live="polite">
        {notice}
      </span>
    </div>
  );
}
