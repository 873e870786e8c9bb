import { branchColour, findingWindows } from "@siplens/analysis/ladder";
import { whereColumn, whereNumber } from "../ui/messageName";
import { exportHeader, findingParagraphs, printable, wrapText, type LadderExportContent } from "./exportContent";

const ROW = 24;
const MARGIN = 10;
const LINE = 18;
/**
 * Advance of one character of the 12 px monospace the SVG asks for (DejaVu Sans Mono, the usual
 * fallback, is 7.22 px), a little generous: every text's extent is reckoned from it, and the image is
 * made as wide as the widest, so nothing is cut at the right edge.
 */
const CHAR = 7.4;
const TITLE_CHAR = 8.3;
const MIN_WIDTH = 800;
const MIN_LANE_SPACING = 170;

const escapeXml = (text: string) =>
  printable(text).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

/** SVG text elements that remember how far right and down they reach. */
class SvgCanvas {
  readonly parts: string[] = [];
  right = 0;
  bottom = 0;

  text(x: number, y: number, content: string, attrs: { anchor?: "start" | "middle" | "end"; fill?: string; bold?: boolean; size?: number } = {}): void {
    const width = content.length * (attrs.size && attrs.size > 12 ? TITLE_CHAR : CHAR);
    const anchor = attrs.anchor ?? "start";
    const left = anchor === "start" ? x : anchor === "middle" ? x - width / 2 : x - width;
    this.right = Math.max(this.right, left + width);
    this.bottom = Math.max(this.bottom, y + 4);
    const extra = `${anchor !== "start" ? ` text-anchor="${anchor}"` : ""}${attrs.bold ? ` font-weight="bold"` : ""}${attrs.size ? ` font-size="${attrs.size}"` : ""}`;
    this.parts.push(`<text x="${x}" y="${y}"${extra} fill="${attrs.fill ?? "#111827"}">${escapeXml(content)}</text>`);
  }

  shape(markup: string, right: number, bottom: number): void {
    this.right = Math.max(this.right, right);
    this.bottom = Math.max(this.bottom, bottom);
    this.parts.push(markup);
  }
}

export interface SvgPage {
  svg: string;
  width: number;
  height: number;
}

/**
 * A standalone SVG of the ladder as shown (same rows, lanes, names, time column) with the frame (or
 * line) of every message, a header naming the call(s) and the UTC start, evidence rows highlighted
 * and the findings about it underneath, so it can go into a ticket as-is. Every row given is drawn;
 * `part` says which part of a paged export this is, `withFindings` false leaves them to another page.
 */
export function ladderSvg(content: LadderExportContent, page: { offset: number; part?: string; withFindings?: boolean } = { offset: 0 }): SvgPage {
  const { rows, lanes } = content;
  const canvas = new SvgCanvas();
  const labelOf = (r: (typeof rows)[number]) => r.row.label + (r.hiddenRetransmissions ? ` ×${r.hiddenRetransmissions + 1}` : "");

  // Geometry from what has to fit: lane names and arrow labels never run into their neighbours.
  const timeChars = rows.reduce((widest, r) => Math.max(widest, r.timeText.length), 4);
  const whereTitle = whereColumn(rows[0]?.row.where);
  const whereChars = rows.reduce((widest, r) => Math.max(widest, whereNumber(r.row.where, r.row.index).length), whereTitle.length);
  const timeRight = MARGIN + timeChars * CHAR;
  const whereRight = timeRight + 12 + whereChars * CHAR;
  const gutter = whereRight + 16;
  const longestName = lanes.reduce((widest, lane) => Math.max(widest, printable(content.laneName(lane)).length), 0);
  const longestLabel = rows.reduce((widest, r) => Math.max(widest, labelOf(r).length), 0);
  const spacing = Math.max(MIN_LANE_SPACING, Math.ceil(longestName * CHAR + 24), Math.ceil(longestLabel * CHAR + 34));
  const centres = lanes.map((_, i) => gutter + spacing * i + spacing / 2);
  const ladderRight = gutter + spacing * lanes.length;
  const windows = findingWindows(content.findings, content.positionOf, content.timeDigits)
    .map((w) => ({
      ...w,
      startPosition: Math.max(w.startPosition, page.offset) - page.offset,
      endPosition: Math.min(w.endPosition, page.offset + rows.length - 1) - page.offset,
    }))
    .filter((w) => w.endPosition > w.startPosition);
  const longestWindow = windows.reduce((widest, w) => Math.max(widest, w.label.length), 0);
  // header and findings wrap to the ladder's width (at least MIN_WIDTH), so no line runs off the image
  const textWidth = Math.max(MIN_WIDTH, ladderRight + (windows.length ? 40 + longestWindow * CHAR : 0)) - 2 * MARGIN;
  const wrapAt = Math.max(40, Math.floor(textWidth / CHAR));

  let y = MARGIN + 12;
  exportHeader(content, page.part).forEach((line, k) => {
    for (const wrapped of wrapText(line, k === 0 ? Math.floor(textWidth / TITLE_CHAR) : wrapAt)) {
      canvas.text(MARGIN, y, wrapped, k === 0 ? { bold: true, size: 13 } : { fill: "#374151" });
      y += LINE;
    }
  });
  const laneTop = y + 14;
  const top = laneTop + 10;
  const bottom = top + rows.length * ROW;
  canvas.text(MARGIN, laneTop, "time", { fill: "#6b7280" });
  canvas.text(whereRight, laneTop, whereTitle, { anchor: "end", fill: "#6b7280" });
  lanes.forEach((lane, i) => {
    const x = centres[i] ?? 0;
    canvas.text(x, laneTop, content.laneName(lane), { anchor: "middle", bold: true });
    canvas.shape(`<line x1="${x}" y1="${laneTop + 6}" x2="${x}" y2="${bottom}" stroke="#9ca3af"/>`, x, bottom);
  });
  const evidence = new Set(content.findings.flatMap((f) => f.evidence));
  rows.forEach((visible, r) => {
    const rowTop = top + r * ROW;
    const { row } = visible;
    if (evidence.has(row.index)) canvas.shape(`<rect x="0" y="${rowTop}" width="${ladderRight}" height="${ROW}" fill="#fef3c7"/>`, ladderRight, rowTop + ROW);
    canvas.text(MARGIN, rowTop + 16, visible.timeText, { fill: "#4b5563" });
    canvas.text(whereRight, rowTop + 16, whereNumber(row.where, row.index), { anchor: "end", fill: "#4b5563" });
    const a = centres[visible.fromLane] ?? 0;
    const b = centres[visible.toLane] ?? 0;
    const colour = branchColour(row.branchIndex);
    const dash = row.retransmission ? ` stroke-dasharray="4 3"` : "";
    if (a === b) {
      canvas.shape(`<path d="M${a} ${rowTop + 8} h24 v10 h-24" fill="none" stroke="${colour}"${dash}/>`, a + 24, rowTop + 18);
      canvas.text(a + 30, rowTop + 16, labelOf(visible), { fill: colour });
    } else {
      const dir = b > a ? 1 : -1;
      canvas.shape(
        `<line x1="${a}" y1="${rowTop + 18}" x2="${b - dir * 2}" y2="${rowTop + 18}" stroke="${colour}" stroke-width="1.4"${dash}/>`,
        Math.max(a, b),
        rowTop + 18,
      );
      canvas.shape(`<path d="M${b} ${rowTop + 18} l${-dir * 7} -4 v8 z" fill="${colour}"/>`, Math.max(a, b), rowTop + 22);
      canvas.text((a + b) / 2, rowTop + 13, labelOf(visible), { anchor: "middle", fill: colour });
    }
  });
  windows.forEach((w, k) => {
    const x = ladderRight + 12 + (k % 3) * 8;
    const y1 = top + w.startPosition * ROW + ROW / 2;
    const y2 = top + w.endPosition * ROW + ROW / 2;
    canvas.shape(`<path d="M${x + 6} ${y1} h-6 V${y2} h6" fill="none" stroke="#b45309" stroke-width="1.5"/>`, x + 6, y2);
    canvas.text(x + 10, (y1 + y2) / 2 + 4, w.label, { fill: "#92400e" });
  });

  const paragraphs = page.withFindings === false ? [] : findingParagraphs(content);
  y = bottom + 30;
  if (paragraphs.length) {
    canvas.text(MARGIN, y, "Findings", { bold: true });
    y += LINE + 4;
    for (const { heading, body } of paragraphs) {
      for (const line of wrapText(heading, wrapAt)) {
        canvas.text(MARGIN, y, line, { bold: true });
        y += LINE;
      }
      for (const paragraph of body) {
        for (const line of wrapText(paragraph, wrapAt - 2)) {
          canvas.text(MARGIN + 2 * CHAR, y, line, { fill: "#374151" });
          y += LINE;
        }
      }
      y += 6;
    }
  }
  const width = Math.ceil(Math.max(MIN_WIDTH, canvas.right + MARGIN));
  const height = Math.ceil(Math.max(y, canvas.bottom) + MARGIN);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="12"><title>${escapeXml(exportHeader(content)[0] ?? "")}</title><rect width="100%" height="100%" fill="#ffffff"/>`;
  return { svg: `${head}${canvas.parts.join("")}</svg>`, width, height };
}

/** Rows a PNG page holds: 250 rows at 2× stay well inside what a browser canvas can draw. */
export const PNG_ROWS_PER_PAGE = 250;
/** Pages a PNG export makes at the most; a longer ladder is refused (SVG and text have no limit). */
export const PNG_MAX_PAGES = 8;
/** Wider than this, a canvas cannot hold the image even at 1×. */
const PNG_MAX_WIDTH = 16_000;

/** The PNG pages of a ladder, or why it is not made: too many rows or too wide for an image. */
export function pngPages(content: LadderExportContent): { pages: SvgPage[] } | { refused: string } {
  const count = content.rows.length;
  const pageCount = Math.ceil(count / PNG_ROWS_PER_PAGE);
  if (pageCount > PNG_MAX_PAGES) {
    return {
      refused: `A PNG holds at most ${(PNG_ROWS_PER_PAGE * PNG_MAX_PAGES).toLocaleString("en-US")} messages (${PNG_MAX_PAGES} pages of ${PNG_ROWS_PER_PAGE}); this ladder has ${count.toLocaleString("en-US")}. Select fewer calls, or export SVG or text, which take any length.`,
    };
  }
  const pages: SvgPage[] = [];
  for (let n = 0; n < Math.max(1, pageCount); n++) {
    const offset = n * PNG_ROWS_PER_PAGE;
    const last = n === pageCount - 1 || pageCount <= 1;
    const part =
      pageCount > 1
        ? `page ${n + 1} of ${pageCount}: messages ${offset + 1}–${Math.min(count, offset + PNG_ROWS_PER_PAGE)}${last ? "" : `; findings on page ${pageCount}`}`
        : undefined;
    const page = ladderSvg({ ...content, rows: content.rows.slice(offset, offset + PNG_ROWS_PER_PAGE) }, { offset, part, withFindings: last });
    if (page.width > PNG_MAX_WIDTH)
      return {
        refused: `This ladder is ${page.width.toLocaleString("en-US")} px wide (${content.lanes.length} hosts); a PNG can be at most ${PNG_MAX_WIDTH.toLocaleString("en-US")}. Export SVG or text instead.`,
      };
    pages.push(page);
  }
  return { pages };
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

/** Rasterises an exported SVG page via a canvas (2× for crisp text, less if the page is very large). */
export async function svgToPng({ svg, width, height }: SvgPage): Promise<Blob> {
  const scale = Math.min(2, PNG_MAX_WIDTH / Math.max(width, height));
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
