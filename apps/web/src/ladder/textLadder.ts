import type { VisibleRow } from "@siplens/analysis/ladder";
import { whereColumn, whereNumber } from "../ui/messageName";
import { exportHeader, findingParagraphs, printable, wrapText, type LadderExportContent } from "./exportContent";
import { itemAt } from "@siplens/analysis/access";

/** Findings text wraps here: a ticket or a chat shows it without sideways scrolling. */
const WRAP = 100;

/**
 * A plain-text ladder for tickets and chat: a header naming the call(s) and the UTC start, one
 * column per lane, one line per message with its time and frame (or line) number, arrows drawn with
 * dashes and the label inside the arrow, then the findings about it.
 */
export function textLadder(content: LadderExportContent): string {
  const { lanes, rows } = content;
  const names = lanes.map((lane) => printable(content.laneName(lane)));
  const labelOf = (visible: VisibleRow) =>
    printable(visible.row.label) +
    (visible.row.retransmission ? " (retr)" : "") +
    (visible.hiddenRetransmissions ? ` x${visible.hiddenRetransmissions + 1}` : "");
  // Wide enough that the longest label fits between adjacent lanes with arrow dashes either side,
  // and that adjacent lane names keep at least two spaces between them.
  const longestLabel = rows.reduce((longest, r) => Math.max(longest, labelOf(r).length), 0);
  const column = Math.max(22, longestLabel + 8, ...names.map((name) => name.length + 3));
  const whereTitle = whereColumn(rows[0]?.row.where);
  const timeWidth = rows.reduce((widest, r) => Math.max(widest, r.timeText.length), 4) + 2;
  const whereWidth = rows.reduce((widest, r) => Math.max(widest, whereNumber(r.row.where, r.row.index).length), whereTitle.length) + 2;
  const gutter = timeWidth + whereWidth;
  const centre = (i: number) => gutter + i * column + Math.floor(column / 2);
  const width = gutter + lanes.length * column;
  const blank = () => Array.from({ length: width }, () => " ");
  const put = (chars: string[], at: number, text: string) => {
    for (let k = 0; k < text.length; k++) chars[at + k] = itemAt(text, k);
  };

  const header = blank();
  put(header, 0, "time");
  put(header, gutter - 2 - whereTitle.length, whereTitle);
  names.forEach((name, i) => put(header, centre(i) - Math.floor(name.length / 2), name));
  const lines = [...exportHeader(content), "", header.join("").trimEnd()];

  for (const visible of rows) {
    const chars = blank();
    put(chars, 0, visible.timeText);
    const number = whereNumber(visible.row.where, visible.row.index);
    put(chars, gutter - 2 - number.length, number);
    lanes.forEach((_, i) => (chars[centre(i)] = "|"));
    const a = centre(visible.fromLane);
    const b = centre(visible.toLane);
    const label = labelOf(visible);
    if (a === b) {
      put(chars, a + 2, `<-> ${label}`);
    } else {
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      for (let x = lo + 1; x < hi; x++) chars[x] = "-";
      if (b > a) chars[hi - 1] = ">";
      else chars[lo + 1] = "<";
      // keep at least two dashes at each end so the direction stays readable
      const room = hi - lo - 5;
      const text = label.length > room ? label.slice(0, Math.max(0, room)) : label;
      put(chars, lo + 3 + Math.floor((room - text.length) / 2), text);
    }
    lines.push(chars.join("").trimEnd());
  }
  const paragraphs = findingParagraphs(content);
  if (paragraphs.length) {
    lines.push("", "Findings:");
    for (const { heading, body } of paragraphs) {
      lines.push(`- ${heading}`);
      for (const paragraph of body) lines.push(...wrapText(paragraph, WRAP).map((line) => `  ${line}`));
    }
  }
  return lines.join("\n");
}
