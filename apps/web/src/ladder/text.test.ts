import { describe, expect, it } from "vitest";
import { callLadderModel } from "@siplens/analysis/ladder";
import { textLadder } from "./textLadder";
import { ladderSvg } from "./exportSvg";
import { exampleParts } from "../test/corpus";

const asShown = { collapseRetransmissions: false, timeMode: "since-start" as const };

describe("text ladder of a real sngrep trace", () => {
  const parts = exampleParts("caller-hangup.sngrep.txt");
  const model = callLadderModel(parts.overview.lanes, parts.details[0]!.messages, asShown);
  const text = textLadder(model.lanes, model.rows, (lane) => lane.name);
  const lines = text.split("\n");

  it("has a header naming each lane and one line per message", () => {
    for (const lane of model.lanes) expect(lines[0]).toContain(lane.name);
    expect(lines).toHaveLength(1 + parts.overview.messageCount);
  });
  it("points requests right and responses back left between the two hosts", () => {
    const invite = lines.find((l) => l.includes("INVITE"))!;
    expect(invite).toMatch(/\|-+ ?INVITE ?-+>\|/);
    const final = lines.find((l) => l.includes("487"))!;
    expect(final).toMatch(/\|<-+ ?487/);
  });
});

describe("SVG export", () => {
  const parts = exampleParts("caller-hangup.sngrep.txt");
  const call = parts.details[0]!;
  const model = callLadderModel(parts.overview.lanes, call.messages, asShown);
  const firstLane = model.lanes[0]!;
  const { svg } = ladderSvg({ lanes: model.lanes, rows: model.rows, laneName: (l) => (l.id === firstLane.id ? "alice <phone>" : l.name), findings: call.findings, positionOf: model.positionOf, title: "t" });
  it("is a standalone SVG with lane labels, arrows and the findings", () => {
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg).toContain("alice &lt;phone&gt;");
    expect(svg.match(/<path d="M[\d.]+ [\d.]+ l/g)?.length).toBe(parts.overview.messageCount);
    expect(svg).toContain(call.findings[0]!.title);
    expect(svg).toMatch(/cancelled after \d/);
  });
  it("parses as XML", () => {
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    expect(doc.querySelector("parsererror")).toBeNull();
    expect(doc.documentElement.nodeName.toLowerCase()).toBe("svg");
  });
  it("draws every row of a long call: no row cap", () => {
    const rows = Array.from({ length: 4000 }, (_, i) => ({ ...model.rows[i % model.rows.length]!, position: i }));
    const long = ladderSvg({ lanes: model.lanes, rows, laneName: (l) => l.name, findings: [], positionOf: new Map(), title: "long" });
    expect(long.svg.match(/<path d="M[\d.]+ [\d.]+ l/g)?.length).toBe(4000);
    expect(textLadder(model.lanes, rows, (l) => l.name).split("\n")).toHaveLength(4001);
  });
});
