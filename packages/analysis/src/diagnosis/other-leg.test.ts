import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildTraceModel } from "../analyze.js";
import type { TraceModel } from "../model/types.js";
import { diagnose } from "./index.js";

/** The correlated legs of test/fixtures/correlation (Kamailio topoh SBC at 127.0.34.1) read together. */
const FIXTURES = fileURLToPath(new URL("../../test/fixtures/correlation/", import.meta.url));
const model = (name: string): TraceModel => buildTraceModel(new Uint8Array(readFileSync(FIXTURES + name)));

function legs(m: TraceModel): { a: string; b: string } {
  const g = m.correlation!.groups[0]!;
  return { a: g.callIds[0]!, b: g.callIds[1]! };
}
const msgs = (m: TraceModel, callId: string, pick: (x: TraceModel["messages"][number]) => boolean) => m.messages.filter((x) => x.callId === callId && pick(x));

describe("a 487 on the caller's leg explained by the SBC's other leg", () => {
  it("the SBC's timer cancels leg B and answers leg A 487 with no CANCEL on it: leg B's CANCEL is the evidence", () => {
    const m = model("session-id-timer.pcap");
    const { a, b } = legs(m);
    const findings = diagnose(m);
    const onA = findings.filter((f) => f.callIds[0] === a);
    expect(onA.map((f) => f.code)).toEqual(["487-without-cancel"]);
    const f = onA[0]!;
    const bInvite = msgs(m, b, (x) => x.isRequest && x.method === "INVITE")[0]!;
    const bCancel = msgs(m, b, (x) => x.isRequest && x.method === "CANCEL")[0]!;
    const b487 = msgs(m, b, (x) => x.status === 487)[0]!;
    expect(f.details.likeliest).toBe("b2bua-other-leg");
    expect(f.evidence).toEqual(expect.arrayContaining([bInvite.index, bCancel.index, b487.index]));
    expect(f.details.otherLeg).toMatchObject({ callId: b, basis: "session-id", cancelIndex: bCancel.index });
    const a487 = msgs(m, a, (x) => x.status === 487)[0]!;
    expect((f.details.otherLeg as { gapToThis487Ms: number }).gapToThis487Ms).toBeCloseTo((a487.time! - bCancel.time!) * 1000, 0);
    const ring = (bCancel.time! - bInvite.time!).toFixed(2);
    expect(f.explanation).toContain(` Likeliest: the B2BUA 127.0.34.1 cancelled its other leg (${b}, linked by Session-ID) ${ring} s after opening it`);
    expect(f.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it("leg B's CANCEL, with no CANCEL on leg A, is the SBC's own timeout, not a caller hang-up", () => {
    const m = model("session-id-timer.pcap");
    const { a, b } = legs(m);
    const onB = diagnose(m).filter((f) => f.callIds[0] === b);
    expect(onB.map((f) => f.code)).toEqual(["proxy-timeout"]);
    const aFinal = msgs(m, a, (x) => x.status === 487)[0]!;
    expect(onB[0]!.evidence).toContain(aFinal.index);
    expect(onB[0]!.details).toMatchObject({ cancelOrigin: "proxy", otherLeg: { callId: a, finalStatus: 487 } });
    expect(onB[0]!.details.ringTimeMs as number).toBeGreaterThan(1900);
  });
});

describe("a 487 on the caller's leg that passes on a failure of the other leg", () => {
  it("the callee answers 480, the SBC answers the caller 487 (no CANCEL anywhere): a final mapped to 487, leg B's 480 the evidence", () => {
    const m = model("callee-480-mapped.pcap");
    const { a, b } = legs(m);
    const findings = diagnose(m);
    expect(findings.map((f) => [f.callIds[0], f.code])).toEqual([[a, "final-mapped-to-487"]]);
    const f = findings[0]!;
    const b480 = msgs(m, b, (x) => x.status === 480)[0]!;
    // the SBC mapped the callee's final to 487: named first (the other-leg reading is the same fact)
    expect(f.title).toBe("B2BUA 127.0.34.1 mapped 480 Temporarily Unavailable to 487");
    expect(f.evidence).toContain(b480.index);
    expect(f.details).toMatchObject({ likeliest: "final-mapped", mappedStatus: 480, mappedIndex: b480.index, mappingRole: "B2BUA", otherLegCallId: b });
    expect(f.explanation).toContain("answered 480 Temporarily Unavailable");
    expect(f.confidence).toBeGreaterThanOrEqual(0.8);
  });
});

describe("a CANCEL on the SBC's leg explained by the caller's leg", () => {
  it.each([
    ["xcid-caller-cancel.pcap", "X-CID"],
    ["icid-caller-cancel.pcap", "icid"],
    ["heuristic-two-calls.pcap", "time, numbers and address"],
  ])("%s: the SBC relays the caller's CANCEL, so leg B's hang-up is the caller's (linked by %s)", (file, basis) => {
    const m = model(file);
    const findings = diagnose(m);
    for (const g of m.correlation!.groups) {
      const [a, b] = g.callIds as [string, string];
      const aCancel = msgs(m, a, (x) => x.isRequest && x.method === "CANCEL")[0]!;
      const onB = findings.filter((f) => f.callIds[0] === b);
      expect(onB.map((f) => f.code)).toEqual(["caller-hangup"]);
      expect(onB[0]!.evidence).toContain(aCancel.index);
      expect(onB[0]!.details).toMatchObject({ cancelOrigin: "caller", cancelOriginHost: `${aCancel.src!.ip}:5060`, upstreamCaptured: true });
      expect(onB[0]!.explanation).toContain(`linked by ${basis}`);
      expect(onB[0]!.explanation).not.toContain("cannot be ruled out");
      // heuristic links weigh less than header links
      expect(onB[0]!.confidence).toBeCloseTo(Math.min(0.9, 0.5 + 0.45 * g.confidence), 2);
    }
  });
});

describe("a weak link (a forwarded number alone) informs but does not overturn", () => {
  it("two SIPp legs of a forwarding B2BUA: leg A's 487 cites leg B's CANCEL; leg B's own reading stays", () => {
    const m = buildTraceModel(new Uint8Array(readFileSync(fileURLToPath(new URL("../../test/fixtures/diagnosis/b2bua-other-leg.pcap", import.meta.url)))));
    const { a, b } = legs(m);
    expect(m.correlation!.groups[0]!.confidence).toBe(0.5);
    const findings = diagnose(m);
    const onA = findings.find((f) => f.callIds[0] === a)!;
    expect(onA.details.likeliest).toBe("b2bua-other-leg");
    expect(onA.details.otherLeg).toMatchObject({ callId: b, basis: "heuristic" });
    // never weaker than the timing-only guess the engine made before the link
    expect(onA.confidence).toBeGreaterThanOrEqual(0.8);
    expect(findings.filter((f) => f.callIds[0] === b).map((f) => f.code)).toEqual(["caller-hangup"]);
  });
});

describe("a chain of two SBCs", () => {
  it("each SBC's CANCEL relays the one on the leg before it: the caller hung up, on all three legs", () => {
    const m = model("xcid-two-sbcs.pcap");
    const [a, b, c] = m.correlation!.groups[0]!.callIds as [string, string, string];
    const findings = diagnose(m);
    const cancelOn = (id: string) => msgs(m, id, (x) => x.isRequest && x.method === "CANCEL")[0]!;
    expect(findings.map((f) => [f.callIds[0], f.code])).toEqual([
      [a, "caller-hangup"],
      [b, "caller-hangup"],
      [c, "caller-hangup"],
    ]);
    for (const [up, down] of [
      [a, b],
      [b, c],
    ] as const) {
      const f = findings.find((x) => x.callIds[0] === down)!;
      expect(f.evidence).toContain(cancelOn(up).index);
      expect(f.details.otherLeg).toMatchObject({ callId: up, basis: "x-cid" });
    }
  });
});
