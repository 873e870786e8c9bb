import { describe, expect, it } from "vitest";
import { diffLines } from "./diff";
import { serverQuery } from "./CallList";
import { NO_CALL_FILTER } from "./summary";
import { exampleParts } from "../test/corpus";

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

describe("serverQuery (what the call search sends)", () => {
  const { overview } = exampleParts("cancel-200-race.ngrep.txt");
  const none = NO_CALL_FILTER;
  it("sends only the filters that are set, the text trimmed", () => {
    expect(serverQuery(none, overview.lanes, new Map())).toEqual({});
    expect(serverQuery({ ...none, query: "  1001 ", outcome: "cancelled" }, overview.lanes, new Map())).toEqual({ q: "1001", outcome: "cancelled" });
    expect(serverQuery({ ...none, finding: "cancel-200-race" }, overview.lanes, new Map())).toEqual({ finding: "cancel-200-race" });
    const pattern = { id: "f2", title: "16 calls ended at 0.15 s", code: "timer-pattern" as const, calls: 16 };
    expect(serverQuery({ ...none, cause: "missing-ack", pattern }, overview.lanes, new Map())).toEqual({ cause: "missing-ack", pattern: "f2" });
  });
  it("searches a lane by the alias this viewer gave it (the server does not know aliases)", () => {
    const lane = overview.lanes[0]!;
    expect(serverQuery({ ...none, query: "EDGE-sbc" }, overview.lanes, new Map([[lane.id, "edge-sbc"]]))).toEqual({ q: lane.id });
  });
});
