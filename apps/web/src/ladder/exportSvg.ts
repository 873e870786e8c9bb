import type { Finding, Lane } from "@siplens/contracts";
import { branchColour, findingWindows, laneGeometry, type VisibleRow } from "@siplens/analysis/ladder";

const ROW = 24;
const HEADER = 44;
const GUTTER = 110;

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

/**
 * A standalone SVG of the ladder as shown (same rows, lanes, names, time column), with evidence rows
 * highlighted and the findings listed underneath, so it can go into a ticket as-is. Every row given is drawn.
 */
export function ladderSvg(options: {
  lanes: readonly Lane[];
  rows: readonly VisibleRow[];
  laneName: (lane: Lane) => string;
  findings: readonly Finding[];
  positionOf: ReadonlyMap<number, number>;
  title: string;
}): { svg: string; width: number; height: number } {
  const { rows } = options;
  const { centres, totalWidth } = laneGeometry(options.lanes.length, Math.max(800, GUTTER + options.lanes.length * 170), GUTTER, 170);
  const evidence = new Set(options.findings.flatMap((f) => f.evidence));
  const windows = findingWindows(options.findings, options.positionOf).filter((w) => w.endPosition < rows.length);
  const annotationWidth = windows.length ? 220 : 0;
  const width = totalWidth + annotationWidth + 20;
  const findingsTop = HEADER + rows.length * ROW + 30;
  const findingLines = options.findings.flatMap((f) => [`${f.severity.toUpperCase()} · ${f.title} (${f.code})`, f.explanation]);
  const height = findingsTop + (findingLines.length ? 24 + findingLines.length * 18 : 0) + 20;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  parts.push(`<text x="10" y="16" font-size="13" font-weight="bold" fill="#111827">${escapeXml(options.title)}</text>`);
  options.lanes.forEach((lane, i) => {
    const x = centres[i] ?? 0;
    parts.push(`<text x="${x}" y="${HEADER - 10}" text-anchor="middle" font-weight="bold" fill="#111827">${escapeXml(options.laneName(lane))}</text>`);
    parts.push(`<line x1="${x}" y1="${HEADER - 4}" x2="${x}" y2="${HEADER + rows.length * ROW}" stroke="#9ca3af"/>`);
  });
  rows.forEach((visible, r) => {
    const y = HEADER + r * ROW;
    if (evidence.has(visible.row.index)) parts.push(`<rect x="0" y="${y}" width="${totalWidth}" height="${ROW}" fill="#fef3c7"/>`);
    parts.push(`<text x="8" y="${y + 16}" fill="#4b5563">${escapeXml(visible.timeText)}</text>`);
    const a = centres[visible.fromLane] ?? 0;
    const b = centres[visible.toLane] ?? 0;
    const colour = branchColour(visible.row.branchIndex);
    const dash = visible.row.retransmission ? ` stroke-dasharray="4 3"` : "";
    const label = visible.row.label + (visible.hiddenRetransmissions ? ` ×${visible.hiddenRetransmissions + 1}` : "");
    if (a === b) {
      parts.push(`<path d="M${a} ${y + 8} h24 v10 h-24" fill="none" stroke="${colour}"${dash}/>`);
      parts.push(`<text x="${a + 30}" y="${y + 16}" fill="${colour}">${escapeXml(label)}</text>`);
    } else {
      const dir = b > a ? 1 : -1;
      parts.push(`<line x1="${a}" y1="${y + 18}" x2="${b - dir * 2}" y2="${y + 18}" stroke="${colour}" stroke-width="1.4"${dash}/>`);
      parts.push(`<path d="M${b} ${y + 18} l${-dir * 7} -4 v8 z" fill="${colour}"/>`);
      parts.push(`<text x="${(a + b) / 2}" y="${y + 13}" text-anchor="middle" fill="${colour}">${escapeXml(label)}</text>`);
    }
  });
  windows.forEach((w, k) => {
    const x = totalWidth + 12 + (k % 3) * 8;
    const y1 = HEADER + w.startPosition * ROW + ROW / 2;
    const y2 = HEADER + w.endPosition * ROW + ROW / 2;
    parts.push(`<path d="M${x + 6} ${y1} h-6 V${y2} h6" fill="none" stroke="#b45309" stroke-width="1.5"/>`);
    parts.push(`<text x="${x + 10}" y="${(y1 + y2) / 2 + 4}" fill="#92400e">${escapeXml(w.label)}</text>`);
  });
  if (findingLines.length) {
    parts.push(`<text x="10" y="${findingsTop}" font-weight="bold" fill="#111827">Findings</text>`);
    findingLines.forEach((line, k) => parts.push(`<text x="10" y="${findingsTop + 22 + k * 18}" fill="${k % 2 ? "#374151" : "#111827"}">${escapeXml(line.length > 200 ? `${line.slice(0, 199)}…` : line)}</text>`));
  }
  parts.push("</svg>");
  return { svg: parts.join(""), width, height };
}

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Rasterises the exported SVG via a canvas (2× for crisp text). */
export async function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const scale = Math.min(2, 16_000 / Math.max(width, height));
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("The ladder image could not be rendered."));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("This browser cannot draw to a canvas.");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG export failed."))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}
