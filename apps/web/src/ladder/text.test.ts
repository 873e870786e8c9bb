import { describe, expect, it } from "vitest";
import type { Lane } from "@siplens/contracts";
import { callLadderModel, callLanes } from "@siplens/analysis/ladder";
import { textLadder } from "./textLadder";
import { ladderSvg, pngPages, PNG_MAX_PAGES, PNG_ROWS_PER_PAGE } from "./exportSvg";
import { exportFileName, exportTitle, type LadderExportContent } from "./exportContent";
import { exampleParts, type ExampleParts } from "../test/corpus";

const asShown = { collapseRetransmissions: false, timeMode: "since-start" as const };

/** The export of one call of a real example, as the toolbar builds it. */
function callExport(parts: ExampleParts, ordinal = 0, laneName: (lane: Lane) => string = (lane) => lane.name): LadderExportContent {
  const call = parts.details[ordinal]!;
  const timeDigits = parts.overview.timeDigits ?? 3;
  const model = callLadderModel(callLanes([call], parts.overview.lanes), call.messages, { ...asShown, timeDigits });
  return {
    lanes: model.lanes,
    rows: model.rows,
    laneName,
    findings: call.findings,
    positionOf: model.positionOf,
    timeDigits,
    callIds: [call.callId],
    analysisTitle: "an analysis",
    scope: "1 call",
  };
}

/** Text elements of an SVG with where they start and how wide they are in a 7.22 px monospace (DejaVu Sans Mono 12 px). */
function svgTexts(svg: string) {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  expect(doc.querySelector("parsererror")).toBeNull();
  const root = doc.documentElement;
  const [, , width, height] = (root.getAttribute("viewBox") ?? "").split(" ").map(Number);
  const texts = [...doc.querySelectorAll("text")].map((t) => {
    const x = Number(t.getAttribute("x"));
    const size = Number(t.getAttribute("font-size") ?? 12);
    const w = (t.textContent ?? "").length * 7.22 * (size / 12) * (t.getAttribute("font-weight") === "bold" ? 1.0 : 1);
    const anchor = t.getAttribute("text-anchor") ?? "start";
    const left = anchor === "middle" ? x - w / 2 : anchor === "end" ? x - w : x;
    return { text: t.textContent ?? "", left, right: left + w, y: Number(t.getAttribute("y")) };
  });
  return { width: width!, height: height!, texts };
}

describe("text ladder of a real sngrep trace", () => {
  const parts = exampleParts("caller-hangup.sngrep.txt");
  const content = callExport(parts);
  const lines = textLadder(content).split("\n");
  const ladderStart = lines.findIndex((l) => l.startsWith("time"));

  it("starts with the call, its UTC start and what it shows", () => {
    const call = parts.details[0]!;
    expect(lines[0]).toBe(`Call ${call.callId}`);
    expect(lines[1]).toBe(`Call-ID: ${call.callId}`);
    expect(lines[2]).toMatch(/^Start: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} UTC$/);
    expect(lines[3]).toContain(`1 call, ${call.messages.length} messages, ${call.messages[0]!.where} to ${call.messages.at(-1)!.where}`);
  });
  it("has a header naming each lane and one line per message, each with its line number in the input", () => {
    for (const lane of content.lanes) expect(lines[ladderStart]).toContain(lane.name);
    expect(lines[ladderStart]).toMatch(/^time +line/);
    const body = lines.slice(ladderStart + 1, ladderStart + 1 + content.rows.length);
    expect(body).toHaveLength(parts.overview.messageCount);
    body.forEach((line, k) => expect(line.slice(0, 30)).toContain(` ${/\d+/.exec(content.rows[k]!.row.where!)![0]} `));
  });
  it("points requests right and responses back left between the two hosts", () => {
    const invite = lines.find((l) => l.includes("INVITE"))!;
    expect(invite).toMatch(/\|-+ ?INVITE ?-+>\|/);
    const final = lines.find((l) => l.includes("487"))!;
    expect(final).toMatch(/\|<-+ ?487/);
  });
  it("lists the findings with their evidence by line", () => {
    const at = lines.indexOf("Findings:");
    expect(at).toBeGreaterThan(ladderStart);
    const finding = content.findings[0]!;
    expect(lines[at + 1]).toBe(`- ${finding.severity.toUpperCase()} · ${finding.title} (${finding.code})`);
    expect(lines.slice(at).join("\n")).toContain(`Evidence: ${finding.evidenceWhere!.join(", ")}`);
    expect(lines.slice(at).every((l) => l.length <= 104)).toBe(true);
  });
  it("keeps long lane names apart in the header", () => {
    const named = callExport(parts, 0, (lane) => `${lane.id}${lane.id}.carrier.example.net (${lane.name})`);
    const header = textLadder(named)
      .split("\n")
      .find((l) => l.startsWith("time"))!;
    const names = named.lanes.map(named.laneName);
    for (const name of names) expect(header).toContain(name);
    expect(header).toMatch(new RegExp(`\\)  +${names[1]!.slice(0, 8).replace(/\./g, "\\.")}`));
  });
});

describe("SVG export", () => {
  const hangup = exampleParts("caller-hangup.sngrep.txt");
  const call = hangup.details[0]!;
  const firstLane = callExport(hangup).lanes[0]!;
  const content = callExport(hangup, 0, (l) => (l.id === firstLane.id ? "alice <phone>" : l.name));
  const { svg } = ladderSvg(content);

  it("is a standalone SVG with lane labels, arrows, frame numbers and the findings", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain("alice &lt;phone&gt;");
    expect(svg.match(/<path d="M[\d.]+ [\d.]+ l/g)?.length).toBe(hangup.overview.messageCount);
    expect(svg).toContain(call.findings[0]!.title);
    expect(svg).toMatch(/cancelled after \d/);
    const { texts } = svgTexts(svg);
    for (const m of call.messages) expect(texts.some((t) => t.text === /\d+/.exec(m.where)![0])).toBe(true);
    expect(texts[0]?.text).toBe(`Call ${call.callId}`);
    expect(texts.some((t) => /^Start: .* UTC$/.test(t.text))).toBe(true);
  });
  it("keeps every text inside the viewBox, wrapping long explanations and names the window labels fit", () => {
    const race = exampleParts("cancel-200-race.ngrep.txt");
    for (let ordinal = 0; ordinal < race.details.length; ordinal++) {
      const exported = callExport(race, ordinal, (l) => `${l.name} — a long carrier SBC name`);
      const long = {
        ...exported,
        findings: exported.findings.map((f) => ({ ...f, explanation: `${f.explanation} ${"and a very long explanation ".repeat(20)}` })),
      };
      const { width, height, texts } = svgTexts(ladderSvg(long).svg);
      for (const t of texts) {
        expect(t.left, t.text).toBeGreaterThanOrEqual(0);
        expect(t.right, t.text).toBeLessThanOrEqual(width);
        expect(t.y, t.text).toBeLessThanOrEqual(height);
      }
    }
  });
  it("escapes a control character in a SIP message instead of breaking the XML", () => {
    const broken = { ...content, rows: content.rows.map((r, k) => (k === 0 ? { ...r, row: { ...r.row, label: "INVITE\u0001\u001b[31m" } } : r)) };
    const out = ladderSvg(broken).svg;
    const { texts } = svgTexts(out);
    expect(texts.some((t) => t.text === "INVITE\\x01\\x1b[31m")).toBe(true);
    expect(textLadder(broken)).toContain("INVITE\\x01\\x1b[31m");
  });
  it("is named after the Call-ID, in characters a file system takes", () => {
    expect(exportTitle(content)).toBe(`Call ${call.callId}`);
    expect(exportFileName(content, "svg")).toBe(`siplens-${call.callId.replace(/[^\w.-]+/g, "_")}.svg`);
    expect(exportFileName({ ...content, callIds: [], analysisTitle: "Carrier ticket #4411 / trunk B" }, "png")).toBe("siplens-Carrier_ticket_4411_trunk_B.png");
    expect(exportFileName({ ...content, callIds: ["a/b", "c"] }, "txt")).toBe("siplens-a_b-and-1-more.txt");
  });
  it("draws every row of a long call: no row cap", () => {
    const rows = Array.from({ length: 4000 }, (_, i) => ({ ...content.rows[i % content.rows.length]!, position: i }));
    const long = ladderSvg({ ...content, rows, findings: [], positionOf: new Map() });
    expect(long.svg.match(/<path d="M[\d.]+ [\d.]+ l/g)?.length).toBe(4000);
    const text = textLadder({ ...content, rows, findings: [], positionOf: new Map() }).split("\n");
    expect(text.filter((l) => l.includes("|"))).toHaveLength(4000);
  });
});

describe("PNG export of a long ladder", () => {
  const content = callExport(exampleParts("caller-hangup.sngrep.txt"));
  const repeated = (n: number) => ({ ...content, rows: Array.from({ length: n }, (_, i) => ({ ...content.rows[i % content.rows.length]!, position: i })) });

  it("is paged, each page saying which part it is and the last carrying the findings", () => {
    const result = pngPages(repeated(PNG_ROWS_PER_PAGE * 2 + 10));
    if (!("pages" in result)) throw new Error(result.refused);
    expect(result.pages).toHaveLength(3);
    result.pages.forEach((page, k) => {
      expect(page.svg).toContain(`page ${k + 1} of 3: messages ${k * PNG_ROWS_PER_PAGE + 1}–`);
      expect(page.height * 2).toBeLessThanOrEqual(16_000);
      expect(page.svg.includes(">Findings<")).toBe(k === 2);
    });
    expect(exportFileName(content, "png", { number: 2, of: 3 })).toMatch(/-page-2-of-3\.png$/);
  });
  it("is refused, saying why and what to do, above its stated length", () => {
    const result = pngPages(repeated(PNG_ROWS_PER_PAGE * PNG_MAX_PAGES + 1));
    expect(result).toEqual({
      refused: expect.stringMatching(
        /^A PNG holds at most 2,000 messages \(8 pages of 250\); this ladder has 2,001\. Select fewer calls, or export SVG or text/,
      ),
    });
  });
});
