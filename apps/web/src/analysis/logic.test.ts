import { describe, expect, it } from "vitest";
import { diffLines } from "./diff";
import { count487ByCause, filterCalls } from "./summary";
import { analyzeExample } from "../test/corpus";
import { sampleResult } from "../test/sampleResult";

describe("diffLines", () => {
  it("pairs a rewritten header as one changed line and keeps the rest aligned", () => {
    const a = "INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1\r\nCall-ID: x\r\n";
    const b = "INVITE sip:b SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.7\r\nVia: SIP/2.0/UDP 10.0.0.1\r\nCall-ID: x\r\n";
    const diff = diffLines(a, b);
    expect(diff.map((d) => d.kind)).toEqual(["same", "added", "same", "same", "same"]);
    const c = diffLines("A\nB\nC", "A\nX\nC");
    expect(c[1]).toEqual({ kind: "changed", left: "B", right: "X" });
  });
});

describe("487 breakdown", () => {
  it("attributes the sample's 487s to their findings", () => {
    const { total, causes } = count487ByCause(sampleResult());
    expect(total).toBe(2);
    expect(causes).toEqual(expect.arrayContaining([{ code: "caller-hangup", count: 1 }, { code: "fork-branch-lost", count: 1 }]));
  });
  it("counts a retransmitted 487 once (real pcap)", () => {
    const result = analyzeExample("missing-ack.pcap");
    const sent = result.messages.filter((m) => m.status === 487).length;
    expect(sent).toBeGreaterThan(1);
    expect(count487ByCause(result).total).toBe(1);
  });
});

describe("filterCalls", () => {
  const result = analyzeExample("cancel-200-race.ngrep.txt");
  const none = { outcome: "" as const, finding: "" as const, query: "" };
  it("searches Call-ID, numbers and hosts", () => {
    const call = result.calls[3]!;
    expect(filterCalls(result, { ...none, query: call.callId }, new Map()).map((c) => c.callId)).toEqual([call.callId]);
    const host = call.hosts[0]!;
    expect(filterCalls(result, { ...none, query: host }, new Map()).length).toBeGreaterThan(0);
    expect(filterCalls(result, { ...none, query: "no-such-thing" }, new Map())).toHaveLength(0);
  });
  it("finds a call by a lane alias the user gave", () => {
    const call = result.calls[0]!;
    const aliases = new Map([[call.hosts[0]!, "edge-sbc"]]);
    expect(filterCalls(result, { ...none, query: "EDGE-SBC" }, aliases).length).toBeGreaterThan(0);
  });
  it("filters by outcome", () => {
    const outcome = result.calls[0]!.outcome;
    const filtered = filterCalls(result, { ...none, outcome }, new Map());
    expect(filtered.length).toBe(result.calls.filter((c) => c.outcome === outcome).length);
  });
});
