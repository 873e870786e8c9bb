import { beforeAll, describe, expect, it } from "vitest";
import { analyzeBytesToParts } from "../analyze.js";
import { bulkCalls, manifestScenario, traceBytes } from "../../test/corpus.js";
import type { ResultParts } from "./parts.js";

const partsOf = (s: string) => analyzeBytesToParts(traceBytes(s));
/** First copies of the 487s of a scenario's one INVITE call, from the corpus manifest. */
const first487s = (s: string) => manifestScenario(s).calls.flatMap((c) => (c.responses_487 ?? []).filter((r) => !r.retransmission));

describe("487s by cause", () => {
  it("counts a 487 that was never acknowledged under the missing ACK, not under the hang-up that led to it", () => {
    const { overview } = partsOf("S6a_missing_ack_487_retransmit_direct");
    expect(overview.responses487).toEqual({ total: 1, byCause: [{ code: "missing-ack", count: 1, severity: "error" }] });
  });

  it("puts the error first and counts each 487 once: the unacknowledged one under missing ACK, the acknowledged one under the hang-up", () => {
    const s = "S6b_missing_ack_487_retransmit_kamailio";
    const truth = first487s(s);
    const { overview, callRows } = partsOf(s);
    expect(overview.responses487.total).toBe(truth.length);
    expect(overview.responses487.byCause).toEqual([
      { code: "missing-ack", count: truth.filter((r) => !r.acked).length, severity: "error" },
      { code: "caller-hangup", count: truth.filter((r) => r.acked).length, severity: "info" },
    ]);
    expect(callRows.find((r) => r.finalStatus === 487)?.causes487).toEqual(["missing-ack", "caller-hangup"]);
  });

  it("shows a fork nobody answered: the branches' 487s under no-winner, the one relayed to the caller under the hang-up", () => {
    const s = "S3_fork_caller_cancels_all_branches_487";
    const truth = first487s(s);
    const { overview } = partsOf(s);
    expect(overview.responses487.byCause).toEqual([
      { code: "no-winner", count: truth.filter((r) => !r.to_caller).length, severity: "info" },
      { code: "caller-hangup", count: truth.filter((r) => r.to_caller).length, severity: "info" },
    ]);
  });
});

describe("the bulk capture (S8a): causes and finding order", { timeout: 600_000 }, () => {
  const S8A = "S8a_bulk_mixed_load_kamailio";
  let parts: ResultParts;
  beforeAll(() => {
    parts = partsOf(S8A);
  }, 600_000);

  it("counts every 487 once, worst cause first, and each call's 487s under the label the corpus gives it", () => {
    const { total, byCause } = parts.overview.responses487;
    expect(total).toBe(3600);
    expect(byCause.reduce((n, c) => n + c.count, 0)).toBe(total);
    expect(byCause.map((c) => [c.code, c.severity])).toEqual([
      ["proxy-timeout", "warning"],
      ["fork-branch-lost", "info"],
      ["caller-hangup", "info"],
    ]);
    const labels = new Map(bulkCalls(S8A).map((c) => [c.call_id, c.labels]));
    const rows = parts.callRows.filter((r) => r.causes487?.length);
    expect(rows.length).toBe(2000);
    for (const r of rows) expect(r.causes487, r.callId).toEqual(labels.get(r.callId));
  });

  it("numbers the trace-wide patterns first, worst first, then the call findings worst first", () => {
    const { findings } = parts;
    const patterns = findings.filter((f) => f.callIds.length !== 1);
    expect(patterns.length).toBe(5);
    expect(findings.slice(0, 5).map((f) => f.id)).toEqual(["f1", "f2", "f3", "f4", "f5"]);
    expect(findings.slice(0, 5)).toEqual(patterns);
    const rank = { error: 0, warning: 1, info: 2 } as const;
    for (const group of [patterns, findings.slice(5)]) {
      const ranks = group.map((f) => rank[f.severity]);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    expect(parts.overview.traceFindings.map((f) => f.id)).toEqual(["f1", "f2", "f3", "f4", "f5"]);
  });
});
