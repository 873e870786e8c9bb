import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeBytes } from "../analyze.js";
import { diagnose } from "./index.js";
import { codesOf, FIXTURES, fixtureModel, one } from "./test-support.js";

/**
 * RFC 2543 peers (Via branches without the z9hG4bK cookie): the model and the diagnosis key
 * transactions alike, so a challenged INVITE re-sent with CSeq 2 under the same branch value is
 * two transactions in both (SIPp captures from gen/make-rfc2543.sh).
 */
const SAME = "rfc2543-auth-cancel.pcap";
const NEW_BRANCH = "rfc2543-auth-cancel-new-branch.pcap";

describe("RFC 2543 transactions: 407, INVITE CSeq 2, CANCEL", () => {
  it("the capture reuses one non-cookie branch for every message of both INVITEs", () => {
    const m = fixtureModel(SAME);
    const branches = new Set(m.messages.map((x) => x.vias[0]?.branch));
    expect([...branches]).toEqual(["2543a7f3e1"]);
    expect(m.messages.filter((x) => x.method === "INVITE" && x.isRequest).map((x) => x.cseqSeq)).toEqual([1, 2]);
  });

  for (const name of [SAME, NEW_BRANCH]) {
    it(`${name}: the model and the findings tell one story (cancelled 487, caller hung up)`, () => {
      const doc = analyzeBytes(new Uint8Array(readFileSync(`${FIXTURES}${name}`)));
      expect(doc.calls).toHaveLength(1);
      expect(doc.calls[0]!.outcome).toBe("cancelled");
      expect(doc.calls[0]!.finalStatus).toBe(487);
      expect(codesOf(doc.findings)).toEqual(["caller-hangup"]);
    });
  }

  it("the CANCEL is matched to the CSeq 2 INVITE, and the 407 stays with CSeq 1", () => {
    const m = fixtureModel(SAME);
    const f = one(diagnose(m), "caller-hangup");
    const invite2 = m.messages.find((x) => x.isRequest && x.method === "INVITE" && x.cseqSeq === 2)!;
    const cancel = m.messages.find((x) => x.method === "CANCEL")!;
    const r407 = m.messages.find((x) => x.status === 407)!;
    expect(f.evidence).toContain(invite2.index);
    expect(f.evidence).toContain(cancel.index);
    expect(f.evidence).not.toContain(r407.index);
    // ring time is measured from the INVITE the CANCEL ended, not from the challenged one
    expect(f.details.ringTimeMs as number).toBeCloseTo((cancel.time! - invite2.time!) * 1000, 0);
    const cancelTx = m.transactionById.get(cancel.transactionId!)!;
    expect(cancelTx.matches).toBe(invite2.transactionId);
    expect(m.transactionById.get(r407.transactionId!)!.cseq).toBe(1);
  });
});
