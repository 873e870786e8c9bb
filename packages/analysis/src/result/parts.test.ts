import { describe, expect, it } from "vitest";
import { OTHER_HOSTS_LANE, OVERVIEW_MAX_COVERAGE, OVERVIEW_MAX_LANES, type Finding, type MessageBlock } from "@siplens/contracts";
import { analyzeBytesToParts, buildTraceModel } from "../analyze.js";
import { windowedRow } from "../ladder/layout.js";
import { ladderRowsOf } from "./message-summary.js";
import { diagnose } from "../diagnosis/index.js";
import { traceBytes } from "../../test/corpus.js";
import { resultParts } from "./parts.js";

const trace = (s: string) => traceBytes(s);

describe("the stored parts", () => {
  it("keep a trace-wide finding once, referenced by id from every call it names", () => {
    // S8a's trace-wide patterns name thousands of calls: copied into each call they would make the
    // call details quadratic in size, so this checks the reference on a trace with several calls.
    const model = buildTraceModel(trace("S5c_cancel_200_race_via_kamailio"));
    const own = diagnose(model);
    const callIds = [...model.calls.keys()];
    expect(callIds.length).toBeGreaterThan(2);
    const pattern: Finding = { ...own[0]!, id: `f${own.length + 1}`, code: "cluster-487", title: "a pattern over every call", callIds, evidence: [] };
    const parts = resultParts(model, [...own, pattern], { inputBytes: 0 });
    const stored = parts.findings.find((f) => f.code === "cluster-487" && f.callIds.length === callIds.length)!;
    expect(parts.overview.traceFindings.map((f) => f.id)).toContain(stored.id);
    const details = [...parts.callDetails()];
    for (const d of details) {
      expect(d.traceFindingIds).toContain(stored.id);
      expect(d.findings.every((f) => f.callIds.length === 1 && f.callIds[0] === d.callId)).toBe(true);
      expect(JSON.stringify(d)).not.toContain("a pattern over every call");
    }
    // every call finding is in exactly the detail of its call
    const ownIds = details.flatMap((d) => d.findings.map((f) => f.id)).sort();
    expect(ownIds).toEqual(
      parts.findings
        .filter((f) => f.callIds.length === 1)
        .map((f) => f.id)
        .sort(),
    );
  });

  it("keep the ids the diagnosis numbered its findings with (numbered once, where their order is decided)", () => {
    const model = buildTraceModel(trace("S5c_cancel_200_race_via_kamailio"));
    const findings = diagnose(model);
    expect(findings.length).toBeGreaterThan(1);
    const reversed = [...findings].reverse();
    const parts = resultParts(model, reversed, { inputBytes: 0 });
    expect(parts.findings.map((f) => f.id)).toEqual(reversed.map((f) => f.id));
    expect(parts.findings.map(({ evidenceWhere: _, ...f }) => f)).toEqual(reversed);
  });
});

/** A trunk-like text trace: `callers` phones each make one call through one proxy (sngrep text form). */
function trunkTrace(callers: number): string {
  const out: string[] = [];
  for (let i = 0; i < callers; i++) {
    const ip = `10.9.${i >> 8}.${(i & 255) + 1}`;
    const stamp = (k: number) =>
      `2026/11/26 03:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.${String(k * 1000).padStart(6, "0")}`;
    const head = (cseq: string, tag = "") => [
      `Via: SIP/2.0/UDP ${ip}:5060;branch=z9hG4bK-t${i}`,
      `From: <sip:1${i}@${ip}>;tag=f${i}`,
      `To: <sip:2${i}@10.8.0.1>${tag}`,
      `Call-ID: trunk-${i}@${ip}`,
      `CSeq: ${cseq}`,
      "Content-Length: 0",
      "",
      "",
    ];
    out.push(`${stamp(0)} ${ip}:5060 -> 10.8.0.1:5060`, `INVITE sip:2${i}@10.8.0.1 SIP/2.0`, ...head("1 INVITE"));
    out.push(`${stamp(1)} 10.8.0.1:5060 -> ${ip}:5060`, "SIP/2.0 486 Busy Here", ...head("1 INVITE", `;tag=t${i}`));
  }
  return out.join("\n");
}

describe("the overview of a trace with many hosts", () => {
  const callers = OVERVIEW_MAX_LANES * 2;
  const parts = analyzeBytesToParts(new TextEncoder().encode(trunkTrace(callers)));

  it("draws the busiest hosts and one lane for the others, and counts them all", () => {
    const o = parts.overview;
    expect(o.callCount).toBe(callers);
    expect(o.laneCount).toBe(callers + 1);
    expect(o.lanes).toHaveLength(OVERVIEW_MAX_LANES);
    // the proxy carries every message: it is among the lanes drawn
    expect(o.lanes.map((l) => l.id)).toContain("10.8.0.1");
    const other = o.lanes.at(-1)!;
    expect(other.id).toBe(OTHER_HOSTS_LANE);
    expect(other.name).toBe(`${callers + 1 - (OVERVIEW_MAX_LANES - 1)} other hosts`);
    expect(o.coverage.length).toBeLessThanOrEqual(OVERVIEW_MAX_COVERAGE);
    expect(o.coverageCount).toBeGreaterThan(o.coverage.length);
  });

  it("puts a message between hosts not drawn on the others' lane of the whole-trace ladder", () => {
    const laneIndex = new Map(parts.overview.lanes.map((l, i) => [l.id, i]));
    const block = parts.messageBlocks().next().value as MessageBlock;
    const last = ladderRowsOf(block.messages).at(-1)!;
    const row = windowedRow(last, laneIndex, "absolute", null);
    expect(laneIndex.has(last.from) && laneIndex.has(last.to)).toBe(false);
    expect([row.fromLane, row.toLane]).toContain(laneIndex.get(OTHER_HOSTS_LANE));
    expect([row.fromLane, row.toLane]).toContain(laneIndex.get("10.8.0.1"));
  });
});
