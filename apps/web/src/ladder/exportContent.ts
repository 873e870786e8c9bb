import type { Finding, Lane } from "@siplens/contracts";
import { formatDateTime, windowLabel, type PositionLookup, type VisibleRow } from "@siplens/analysis/ladder";
import { messageName } from "../ui/messageName";
import { itemAt } from "@siplens/analysis/access";

/** What a ladder export shows, and what it says about it: enough for a carrier ticket on its own. */
export interface LadderExportContent {
  lanes: readonly Lane[];
  rows: readonly VisibleRow[];
  laneName: (lane: Lane) => string;
  /** Findings in scope; the export keeps those about what it shows. */
  findings: readonly Finding[];
  positionOf: PositionLookup;
  /** Decimal places of a second the input's times carry. */
  timeDigits: number;
  /** The selected calls' Call-IDs; empty for the whole trace (its rows' Call-IDs are listed then). */
  callIds: readonly string[];
  /** The analysis's title, named when no call is selected. */
  analysisTitle: string;
  /** "1 call", "whole trace, rows 1–500 of 505,856 (the loaded window)". */
  scope: string;
}

/** A whole-trace window may cross hundreds of calls: the header lists this many and counts the rest. */
const MAX_LISTED_CALL_IDS = 100;

/** Call-IDs of what is shown: the selection's, else those of the rows, in order of first appearance. */
function shownCallIds(content: LadderExportContent): string[] {
  if (content.callIds.length) return [...content.callIds];
  return [...new Set(content.rows.map((r) => r.row.callId))];
}

export function exportTitle(content: LadderExportContent): string {
  const ids = content.callIds;
  if (ids.length === 1) return `Call ${ids[0]}`;
  if (ids.length > 1) return `${ids.length} calls: ${ids[0]} and ${ids.length - 1} more`;
  return content.analysisTitle || "siplens ladder";
}

/** "siplens-1-18752_127.0.92.10.svg": the Call-ID (or the title) in characters every file system takes. */
export function exportFileName(content: LadderExportContent, extension: string, page?: { number: number; of: number }): string {
  const ids = content.callIds;
  const base = ids.length === 1 ? itemAt(ids, 0) : ids.length > 1 ? `${ids[0]}-and-${ids.length - 1}-more` : content.analysisTitle;
  const safe =
    printable(base)
      .replace(/[^\w.-]+/g, "_")
      .replace(/^[._]+|[._]+$/g, "")
      .slice(0, 80) || "ladder";
  return `siplens-${safe}${page && page.of > 1 ? `-page-${page.number}-of-${page.of}` : ""}.${extension}`;
}

function firstTime(rows: readonly VisibleRow[]): number | null {
  for (const r of rows) if (r.row.time != null) return r.row.time;
  return null;
}

/** The lines above the ladder: title, Call-ID(s), UTC start, what part this is. */
export function exportHeader(content: LadderExportContent, part?: string): string[] {
  const ids = shownCallIds(content);
  const listed = ids.slice(0, MAX_LISTED_CALL_IDS).join(", ") + (ids.length > MAX_LISTED_CALL_IDS ? ` and ${ids.length - MAX_LISTED_CALL_IDS} more` : "");
  const first = content.rows[0]?.row;
  const last = content.rows.at(-1)?.row;
  const span = first && last ? `${messageName(first.where, first.index)} to ${messageName(last.where, last.index)}` : "no messages";
  return [
    exportTitle(content),
    `${ids.length === 1 ? "Call-ID" : `Call-IDs (${ids.length})`}: ${listed}`,
    `Start: ${formatDateTime(firstTime(content.rows), content.timeDigits)}`,
    `Shows: ${content.scope}, ${content.rows.length} messages, ${span}${part ? ` (${part})` : ""}`,
  ].map(printable);
}

/** The findings about what the export shows: evidence among its rows, or about one of its calls. */
function shownFindings(content: LadderExportContent): Finding[] {
  const calls = new Set(shownCallIds(content));
  return content.findings.filter((f) => f.evidence.some((i) => content.positionOf.get(i) !== undefined) || f.callIds.some((id) => calls.has(id)));
}

/** Each finding as a heading line and its explanation, evidence by frame, and measured window. */
export function findingParagraphs(content: LadderExportContent): Array<{ heading: string; body: string[] }> {
  return shownFindings(content).map((f) => {
    const window = windowLabel(f, content.timeDigits);
    const evidence = f.evidence.map((index, k) => messageName(f.evidenceWhere?.[k], index)).join(", ");
    return {
      heading: printable(`${f.severity.toUpperCase()} · ${f.title} (${f.code})`),
      body: [
        f.explanation,
        ...(window ? [`Measured: ${window}`] : []),
        ...(evidence ? [`Evidence: ${evidence}`] : []),
        ...(f.rfc.length ? [`See ${f.rfc.join(", ")}`] : []),
      ].map(printable),
    };
  });
}

/**
 * Text with every character XML 1.0 refuses (C0 controls but tab, lone surrogates, U+FFFE/F) shown
 * as an escape instead: a control byte in a SIP message must not break an export, nor vanish from it.
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- these control characters are what it escapes
    /[\x00-\x08\x0A-\x1F\x7F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

/** Words onto lines of at most `width` characters; a word longer than a line is cut across lines, never lost. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (line) lines.push(line);
      line = "";
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}
