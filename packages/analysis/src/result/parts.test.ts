import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Finding } from "@siplens/contracts";
import { buildTraceModel } from "../analyze.js";
import { diagnose } from "../diagnosis/index.js";
import { CORPUS_TRACES } from "../../test/corpus.js";
import { resultParts } from "./parts.js";

const trace = (s: string) => new Uint8Array(readFileSync(`${CORPUS_TRACES}/${s}/${s}.pcap`));

describe("the stored parts", () => {
  it("keep a trace-wide finding once, referenced by id from every call it names", () => {
    // S8a's trace-wide patterns name thousands of calls: copied into each call they would make the
    // call details quadratic in size, so this checks the reference on a trace with several calls.
    const model = buildTraceModel(trace("S5c_cancel_200_race_via_kamailio"));
    const own = diagnose(model);
    const callIds = [...model.calls.keys()];
    expect(callIds.length).toBeGreaterThan(2);
    const pattern: Finding = { ...own[0]!, id: "", code: "cluster-487", title: "a pattern over every call", callIds, evidence: [] };
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
    expect(ownIds).toEqual(parts.findings.filter((f) => f.callIds.length === 1).map((f) => f.id).sort());
  });
});
