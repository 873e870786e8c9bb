import { describe, expect, it } from "vitest";
import { buildLadderModel, findingWindows, laneGeometry, transactionMembers, windowLabel } from "./layout";
import { analyzeExample } from "../test/corpus";
import { bigResult, sampleResult } from "../test/sampleResult";

const all = { callIds: new Set<string>(), collapseRetransmissions: false, timeMode: "since-start" as const };

describe("buildLadderModel on a real pcap (487 retransmitted, no ACK)", () => {
  const result = analyzeExample("missing-ack.pcap");
  const retransmissions = result.ladder.rows.filter((r) => r.retransmission).length;

  it("draws every message when nothing is collapsed", () => {
    const model = buildLadderModel(result, all);
    expect(model.rows).toHaveLength(result.messageCount);
    expect(model.lanes.map((l) => l.id).sort()).toEqual(result.ladder.lanes.map((l) => l.id).sort());
    expect(retransmissions).toBeGreaterThan(3);
  });

  it("folds retransmissions into their first copy and counts them", () => {
    const model = buildLadderModel(result, { ...all, collapseRetransmissions: true });
    expect(model.rows).toHaveLength(result.messageCount - retransmissions);
    const original = model.rows.find((r) => r.hiddenRetransmissions > 0);
    expect(original?.row.label).toMatch(/^487/);
    expect(original?.hiddenRetransmissions).toBe(retransmissions);
    // a hidden copy maps to its original's position so "show message" still scrolls somewhere sensible
    const copy = result.ladder.rows.find((r) => r.retransmission)!;
    expect(model.positionOf.get(copy.index)).toBe(original?.position);
  });

  it("formats times since the first visible row", () => {
    const model = buildLadderModel(result, all);
    expect(model.rows[0]?.timeText).toBe("0.000 s");
    const absolute = buildLadderModel(result, { ...all, timeMode: "absolute" });
    expect(absolute.rows[0]?.timeText).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    const delta = buildLadderModel(result, { ...all, timeMode: "delta" });
    expect(delta.rows[1]?.timeText).toMatch(/^\+\d/);
  });
});

describe("buildLadderModel call selection", () => {
  const result = sampleResult();
  it("keeps only the selected call's rows and the lanes they touch", () => {
    const model = buildLadderModel(result, { ...all, callIds: new Set(["call-1@test"]) });
    expect(model.rows.every((r) => r.row.callId === "call-1@test")).toBe(true);
    expect(model.lanes.map((l) => l.id)).toEqual(["A", "B"]);
    expect(model.rows[0]?.fromLane).toBe(0);
    expect(model.rows[0]?.toLane).toBe(1);
  });
  it("shows the proxy lane for the forked call", () => {
    const model = buildLadderModel(result, { ...all, callIds: new Set(["call-2@test"]) });
    expect(model.lanes.map((l) => l.id)).toEqual(["A", "P", "B", "C"]);
    expect(new Set(model.rows.map((r) => r.row.branchIndex))).toEqual(new Set([0, 1]));
  });
  it("maps 50,000 messages (generous bound: the machine is shared)", () => {
    const big = bigResult(6250);
    const started = performance.now();
    const model = buildLadderModel(big, all);
    expect(model.rows).toHaveLength(50_000);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});

describe("transactions and finding windows", () => {
  const result = sampleResult();
  it("collects every message of a transaction (the ACK of a 487 belongs to the INVITE transaction)", () => {
    const members = transactionMembers(result, result.messages[0]?.transactionId);
    expect([...members].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 6, 7]);
  });
  it("brackets the ring time from INVITE to the last evidence row", () => {
    const model = buildLadderModel(result, all);
    const windows = findingWindows(result.findings, model.positionOf);
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ findingId: "f1", startPosition: 0, endPosition: 6 });
    expect(windows[0]?.label).toBe("ring time 4.200 s");
  });
  it("names the timer a finding matched", () => {
    const finding = { ...result.findings[0]!, details: { ringTimeMs: 32_000, timer: { name: "Timer B (64·T1)", nominalMs: 32_000 } } };
    expect(windowLabel(finding)).toBe("ring time 32.0 s · Timer B (64·T1) (32.0 s)");
  });
  it("has no window for a finding that measures no time", () => {
    expect(windowLabel(result.findings[1]!)).toBeNull();
  });
});

describe("laneGeometry", () => {
  it("spreads lanes over the width but never closer than the minimum", () => {
    expect(laneGeometry(2, 1000, 100).centres).toEqual([325, 775]);
    const crowded = laneGeometry(10, 800, 100, 150);
    expect(crowded.spacing).toBe(150);
    expect(crowded.totalWidth).toBe(1600);
  });
});
