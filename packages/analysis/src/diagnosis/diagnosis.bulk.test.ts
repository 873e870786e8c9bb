import type { Finding } from "@siplens/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import type { TraceModel } from "../model/types.js";
import { diagnose } from "./index.js";
import { bulkCalls, type ManifestCall } from "../../test/corpus.js";
import { callFindings, codesOf, corpusModel, diagnosePartial, expectedCodes } from "./test-support.js";

/** S8a: 4000 calls through one Kamailio; per-call truth in S8a_bulk_mixed_load_kamailio.calls.jsonl. */
const SCENARIO = "S8a_bulk_mixed_load_kamailio";
const CALLERS = /^127\.0\.80\.1[1-5]$/;

describe("bulk mixed load (S8a)", { timeout: 600_000 }, () => {
  let model: TraceModel;
  let findings: Finding[];
  let truth: ManifestCall[];
  beforeAll(() => {
    model = corpusModel(SCENARIO);
    findings = diagnose(model);
    truth = bulkCalls(SCENARIO);
  }, 600_000);

  it("every call gets exactly its labels", () => {
    const byCall = new Map<string, Finding[]>();
    for (const f of findings) if (f.callIds.length === 1) (byCall.get(f.callIds[0]!) ?? byCall.set(f.callIds[0]!, []).get(f.callIds[0]!)!).push(f);
    const wrong = truth.filter((c) => codesOf(callFindings(byCall.get(c.call_id) ?? [], c.call_id)).join() !== expectedCodes(c).join());
    expect(wrong.map((c) => c.call_id)).toEqual([]);
  });

  it("finds the proxy's fixed timer, the bad destination and the time window the failures cluster in", () => {
    const timeouts = truth.filter((c) => c.labels.includes("proxy-timeout")).map((c) => c.call_id);
    const timer = findings.find((f) => f.code === "timer-pattern")!;
    expect(timer.details.host).toMatch(/^127\.0\.80\.1\b/);
    expect(new Set(timer.callIds)).toEqual(new Set(timeouts));
    // the route's t_set_fr(4000): the CANCEL leaves within a scheduler tick of 4 s after the INVITE
    expect(Math.abs((timer.details.valueMs as number) - 4000)).toBeLessThan(100);
    const dest = findings.find((f) => f.code === "cluster-487" && f.details.dimension === "destination" && String(f.details.destination).startsWith("2666@"))!;
    expect(dest.severity).toBe("warning");
    expect(new Set(dest.callIds)).toEqual(new Set(timeouts));
    const host = findings.find((f) => f.code === "cluster-487" && f.details.dimension === "cancel-origin-host")!;
    expect(host.details.calls).toBe(timeouts.length);
    const window = findings.find((f) => f.code === "cluster-487" && f.details.dimension === "time-window")!;
    expect(window.details.shareInWindow as number).toBeGreaterThan(5 * (window.details.shareOutside as number));
    const t0 = model.startTime!;
    const end = model.endTime!;
    // the 2666 calls were started between 40 % and 65 % of the run
    expect((window.details.fromOffsetS as number) / (end - t0)).toBeGreaterThan(0.35);
    expect((window.details.toOffsetS as number) / (end - t0)).toBeLessThan(0.7);
  });

  it("seen only below the proxy, the fixed interval still tells the timer from people hanging up", () => {
    const partial = diagnosePartial(model, (m) => !CALLERS.test(m.src?.ip ?? "") && !CALLERS.test(m.dst?.ip ?? ""));
    const codeOf = new Map<string, string[]>();
    for (const f of partial) if (f.callIds.length === 1) (codeOf.get(f.callIds[0]!) ?? codeOf.set(f.callIds[0]!, []).get(f.callIds[0]!)!).push(f.code);
    const timeouts = truth.filter((c) => c.labels.includes("proxy-timeout"));
    const hangups = truth.filter((c) => c.labels.includes("caller-hangup"));
    const timeoutsRead = timeouts.filter((c) => codeOf.get(c.call_id)?.includes("proxy-timeout")).length;
    const hangupsRead = hangups.filter((c) => codeOf.get(c.call_id)?.includes("caller-hangup")).length;
    expect(timeoutsRead).toBeGreaterThanOrEqual(timeouts.length * 0.98);
    expect(hangupsRead).toBeGreaterThanOrEqual(hangups.length * 0.97);
    const some = partial.find((f) => f.code === "caller-hangup")!;
    expect(some.details.upstreamCaptured).toBe(false);
    expect(some.confidence).toBeLessThan(findings.find((f) => f.code === "caller-hangup")!.confidence);
  });
});
