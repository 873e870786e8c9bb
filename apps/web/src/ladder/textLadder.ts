import type { Finding, Lane } from "@siplens/contracts";
import type { VisibleRow } from "@siplens/analysis/ladder";

/**
 * A plain-text ladder for tickets and chat: one column per lane, one line per message,
 * arrows drawn with dashes and the label inside the arrow.
 */
export function textLadder(lanes: readonly Lane[], rows: readonly VisibleRow[], laneName: (lane: Lane) => string, findings: readonly Finding[] = []): string {
  const labelOf = (visible: VisibleRow) => visible.row.label + (visible.row.retransmission ? " (retr)" : "") + (visible.hiddenRetransmissions ? ` x${visible.hiddenRetransmissions + 1}` : "");
  // Wide enough that the longest label fits between adjacent lanes with arrow dashes either side.
  const longestLabel = Math.min(48, rows.reduce((longest, r) => Math.max(longest, labelOf(r).length), 0));
  const column = Math.max(22, longestLabel + 8, ...lanes.map((lane) => laneName(lane).length + 2));
  const timeWidth = rows.reduce((widest, r) => Math.max(widest, r.timeText.length + 2), 12);
  const centre = (i: number) => timeWidth + i * column + Math.floor(column / 2);
  const width = timeWidth + lanes.length * column;

  const header = " ".repeat(timeWidth).split("");
  lanes.forEach((lane, i) => {
    const name = laneName(lane).slice(0, column - 1);
    const start = Math.max(timeWidth + i * column, centre(i) - Math.floor(name.length / 2));
    for (let k = 0; k < name.length; k++) header[start + k] = name[k]!;
  });
  const lines = [header.join("").trimEnd()];

  for (const visible of rows) {
    const chars = Array.from({ length: width }, () => " ");
    for (let k = 0; k < visible.timeText.length; k++) chars[k] = visible.timeText[k]!;
    lanes.forEach((_, i) => (chars[centre(i)] = "|"));
    const a = centre(visible.fromLane);
    const b = centre(visible.toLane);
    const label = labelOf(visible);
    if (a === b) {
      const text = `<-> ${label}`;
      for (let k = 0; k < text.length && a + 2 + k < width + 40; k++) chars[a + 2 + k] = text[k]!;
    } else {
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      for (let x = lo + 1; x < hi; x++) chars[x] = "-";
      if (b > a) chars[hi - 1] = ">";
      else chars[lo + 1] = "<";
      // keep at least two dashes at each end so the direction stays readable
      const room = hi - lo - 5;
      const text = label.length > room ? label.slice(0, Math.max(0, room)) : label;
      const start = lo + 3 + Math.floor((room - text.length) / 2);
      for (let k = 0; k < text.length; k++) chars[start + k] = text[k]!;
    }
    lines.push(chars.join("").trimEnd());
  }
  if (findings.length) {
    lines.push("", "Findings:");
    for (const finding of findings) lines.push(`- [${finding.severity}] ${finding.title} (${finding.code}; messages ${finding.evidence.map((i) => `#${i}`).join(", ")})`);
  }
  return lines.join("\n");
}
