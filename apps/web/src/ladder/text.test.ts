import { describe, expect, it } from "vitest";
import { textLadder } from "./textLadder";
import { ladderSvg } from "./exportSvg";
import { buildLadderModel } from "@siplens/analysis/ladder";
import { analyzeExample } from "../test/corpus";
import { sampleResult } from "../test/sampleResult";

describe("text ladder of a real sngrep trace", () => {
  const result = analyzeExample("caller-hangup.sngrep.txt");
  const model = buildLadderModel(result, { callIds: new Set(), collapseRetransmissions: false, timeMode: "since-start" });
  const text = textLadder(model.lanes, model.rows, (lane) => lane.name);
  const lines = text.split("\n");

  it("has a header naming each lane and one line per message", () => {
    for (const lane of model.lanes) expect(lines[0]).toContain(lane.name);
    expect(lines).toHaveLength(1 + result.messageCount);
  });
  it("points requests right and responses back left between the two hosts", () => {
    const invite = lines.find((l) => l.includes("INVITE"))!;
    expect(invite).toMatch(/\|-+ ?INVITE ?-+>\|/);
    const final = lines.find((l) => l.includes("487"))!;
    expect(final).toMatch(/\|<-+ ?487/);
  });
});

describe("SVG export", () => {
  const result = sampleResult();
  const model = buildLadderModel(result, { callIds: new Set(), collapseRetransmissions: false, timeMode: "since-start" });
  const { svg } = ladderSvg({ lanes: model.lanes, rows: model.rows, laneName: (l) => (l.id === "A" ? "alice <phone>" : l.name), findings: result.findings, positionOf: model.positionOf, title: "t" });
  it("is a standalone SVG with lane labels, arrows and the findings", () => {
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg).toContain("alice &lt;phone&gt;");
    expect(svg.match(/<path d="M[\d.]+ [\d.]+ l/g)?.length).toBe(result.messageCount);
    expect(svg).toContain("Caller hung up before answer");
    expect(svg).toContain("ring time 4.200 s");
  });
  it("parses as XML", () => {
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    expect(doc.querySelector("parsererror")).toBeNull();
    expect(doc.documentElement.nodeName.toLowerCase()).toBe("svg");
  });
});
