import { describe, expect, it } from "vitest";
import { diagnose } from "./index.js";
import { corpusManifest, manifestScenario } from "../../test/corpus.js";
import { callFindings, codesOf, corpusModel, diagnosePartial, expectedCodes, one } from "./test-support.js";

/** Every small corpus scenario, every call: the codes the manifest's ground truth names, no more. */
describe("corpus calls get exactly the manifest's labels", () => {
  const small = Object.keys(corpusManifest().scenarios).filter((s) => !s.startsWith("S8"));
  for (const scenario of small) {
    it(scenario, () => {
      const findings = diagnose(corpusModel(scenario));
      for (const call of manifestScenario(scenario).calls) {
        const cf = callFindings(findings, call.call_id).filter((f) => f.code !== "late-cancel" && f.code !== "cancel-unmatched");
        expect(codesOf(cf), call.call_id).toEqual(expectedCodes(call));
      }
      findings.forEach((f, i) => expect(f.id).toBe(`f${i + 1}`));
    });
  }
});

describe("caller-hangup", () => {
  it("direct call: ring time measured INVITE→CANCEL, CANCEL and 487 as evidence (S1a)", () => {
    const m = corpusModel("S1a_caller_hangup_direct_udp");
    const f = one(diagnose(m), "caller-hangup");
    const cancel = m.messages.find((x) => x.method === "CANCEL" && x.isRequest)!;
    const r487 = m.messages.find((x) => x.status === 487)!;
    const invite = m.messages.find((x) => x.method === "INVITE" && x.isRequest)!;
    expect(f.evidence).toEqual(expect.arrayContaining([invite.index, cancel.index, r487.index]));
    expect(f.details.ringTimeMs).toBeCloseTo((cancel.time! - invite.time!) * 1000, 0);
    expect(f.details.cancelOrigin).toBe("caller");
    expect(f.severity).toBe("info");
  });

  it("through a proxy the CANCEL is attributed to the caller, not to the proxy that relayed it (S1b)", () => {
    const m = corpusModel("S1b_caller_hangup_via_kamailio_udp");
    const f = one(diagnose(m), "caller-hangup");
    expect(f.details.cancelOriginHost).toMatch(/^127\.0\.12\.10/);
    expect(f.details.hopsSeen).toHaveLength(2);
    expect(f.details.upstreamCaptured).toBe(true);
  });

  it("with the caller's leg not captured the verdict is kept but its confidence drops (S1b, proxy→callee only)", () => {
    const m = corpusModel("S1b_caller_hangup_via_kamailio_udp");
    const full = one(diagnose(m), "caller-hangup");
    const partial = one(
      diagnosePartial(m, (x) => x.src?.ip !== "127.0.12.10" && x.dst?.ip !== "127.0.12.10"),
      "caller-hangup",
    );
    expect(partial.details.upstreamCaptured).toBe(false);
    expect(partial.details.cancelOriginHost).toMatch(/^127\.0\.12\.1\b/);
    expect(partial.confidence).toBeLessThan(full.confidence);
  });

  it("over TCP, IPv6 and UDP→TCP conversion the same reading holds, with no missing-ack", () => {
    for (const s of ["S9a_caller_hangup_direct_tcp", "S9d_caller_hangup_via_kamailio_ipv6_tcp", "S9e_caller_hangup_udp_to_tcp_via_kamailio"]) {
      const findings = diagnose(corpusModel(s));
      expect(codesOf(findings), s).toEqual(["caller-hangup"]);
    }
  });
});

describe("proxy-timeout", () => {
  it("the proxy's own CANCEL with none from upstream is a timer; interval and 408 upstream reported (S4a)", () => {
    const scenario = "S4a_proxy_timeout_fr_inv_408";
    const truth = manifestScenario(scenario).calls[0]!.proxy_timeout!;
    const findings = diagnose(corpusModel(scenario));
    const f = one(findings, "proxy-timeout");
    expect(codesOf(findings)).toEqual(["proxy-timeout"]);
    expect(f.details.cancelOriginHost).toMatch(/^127\.0\.40\.1\b/);
    expect(f.details.ringTimeMs as number).toBeCloseTo(truth.cancel_after_invite_s * 1000, -1);
    expect(f.details.sinceLastProvisionalMs as number).toBeCloseTo(truth.cancel_after_last_provisional_s * 1000, -1);
    expect(f.details.upstreamFinal).toBe(truth.final_to_caller);
    expect(f.severity).toBe("warning");
  });

  it("a proxy answering its timeout upstream with 487 also gives 487-without-cancel naming the proxy's CANCEL (S4b)", () => {
    const m = corpusModel("S4b_proxy_timeout_relayed_as_487");
    const findings = diagnose(m);
    const w = one(findings, "487-without-cancel");
    expect(w.details.likeliest).toBe("proxy-cancelled-branch");
    const cancel = m.messages.find((x) => x.method === "CANCEL" && x.isRequest)!;
    expect(w.evidence).toContain(cancel.index);
    expect(one(findings, "proxy-timeout").details.upstreamFinal).toBe(487);
  });

  it("seen only below the proxy, a timeout is ambiguous and rated lower than with both legs (S4a)", () => {
    const m = corpusModel("S4a_proxy_timeout_fr_inv_408");
    const full = one(diagnose(m), "proxy-timeout");
    const partial = diagnosePartial(m, (x) => x.src?.ip !== "127.0.40.10" && x.dst?.ip !== "127.0.40.10");
    const verdict = partial.find((f) => f.code === "proxy-timeout" || f.code === "caller-hangup")!;
    expect(verdict.details.upstreamCaptured).toBe(false);
    expect(verdict.confidence).toBeLessThan(full.confidence);
  });
});

describe("forks", () => {
  it("one branch answers: the other branches' 487s are fork-branch-lost with winner and losers (S2)", () => {
    const m = corpusModel("S2_fork_one_answers_others_cancelled");
    const f = one(diagnose(m), "fork-branch-lost");
    expect((f.details.losingBranches as unknown[]).length).toBe(2);
    expect((f.details.winningBranch as { finalStatus: number }).finalStatus).toBe(200);
    const r487 = m.messages.filter((x) => x.status === 487).map((x) => x.index);
    expect(f.evidence).toEqual(expect.arrayContaining(r487));
    expect(String((f.details.losingBranches as { reason?: string }[])[0]!.reason)).toMatch(/cause=200/);
  });

  it("nobody answers: no-winner says the caller cancelled, alongside caller-hangup (S3)", () => {
    const findings = diagnose(corpusModel("S3_fork_caller_cancels_all_branches_487"));
    const f = one(findings, "no-winner");
    expect(f.details.cancelledBy).toBe("caller");
    expect((f.details.losingBranches as unknown[]).length).toBe(3);
    expect(f.severity).toBe("info");
    one(findings, "caller-hangup");
  });
});

describe("cancel-200-race", () => {
  for (const scenario of [
    "S5a_cancel_200_race_direct_481",
    "S5b_cancel_200_race_direct_200",
    "S5c_cancel_200_race_via_kamailio",
    "S5d_cancel_wins_487_then_late_200_kamailio",
  ]) {
    it(`winner and gap match the capture (${scenario})`, () => {
      const findings = diagnose(corpusModel(scenario));
      for (const call of manifestScenario(scenario).calls.filter((c) => c.race)) {
        const f = one(callFindings(findings, call.call_id), "cancel-200-race");
        expect(f.details.winner, call.call_id).toBe(call.race!.winner === "200" ? "2xx" : "cancel");
        expect(f.details.raceGapMs as number).toBeCloseTo(call.race!.cancel_minus_200_ms, 0);
        expect([...(f.details.cancelAnsweredWith as number[])].sort()).toEqual([...call.race!.cancel_answered_with].sort());
      }
    });
  }

  it("when the 2xx won, what followed is measured: ACK and BYE, or the unACKed 2xx retransmissions", () => {
    for (const scenario of ["S5a_cancel_200_race_direct_481", "S5c_cancel_200_race_via_kamailio"]) {
      const m = corpusModel(scenario);
      for (const f of diagnose(m).filter((x) => x.code === "cancel-200-race" && x.details.winner === "2xx")) {
        if (f.details.byeIndex != null) {
          expect(m.messages[f.details.byeIndex as number]!.method).toBe("BYE");
          expect(f.evidence).toContain(f.details.byeIndex);
        }
        const copies = m.messages.filter((x) => x.callId === f.callIds[0] && x.status === 200 && x.cseqMethod === "INVITE" && x.vias.length === 1);
        expect(f.details.answerTransmissions, f.callIds[0]).toBe(copies.length);
        if (!f.details.ackedAnswer) expect(copies.length).toBeGreaterThan(1);
      }
    }
  });
});

describe("missing-ack", () => {
  it("487 repeated at Timer G spacing until Timer H, every copy is evidence (S6a)", () => {
    const scenario = "S6a_missing_ack_487_retransmit_direct";
    const truth = manifestScenario(scenario).calls[0]!.missing_ack!;
    const m = corpusModel(scenario);
    const findings = diagnose(m);
    const f = one(findings, "missing-ack");
    expect(f.details.transmissions).toBe(truth["487_transmissions"]);
    expect(f.details.timerG).toBe("matches");
    expect(f.details.reachedTimerH).toBe(true);
    (f.details.offsetsMs as number[]).forEach((o, i) => expect(o).toBeCloseTo(truth.retransmission_offsets_s[i]! * 1000, -1));
    const copies = m.messages.filter((x) => x.status === 487).map((x) => x.index);
    expect(f.evidence).toEqual(expect.arrayContaining(copies));
    expect(f.severity).toBe("error");
    one(findings, "caller-hangup");
  });

  it("through Kamailio: the relayed 487 is the one never ACKed (S6b)", () => {
    const scenario = "S6b_missing_ack_487_retransmit_kamailio";
    const truth = manifestScenario(scenario).calls[0]!.missing_ack!;
    const f = one(diagnose(corpusModel(scenario)), "missing-ack");
    expect(f.details.transmissions).toBe(truth["487_transmissions"]);
    expect(f.details.direction).toMatch(/^127\.0\.62\.1:5060 → 127\.0\.62\.10/);
  });
});

describe("487-without-cancel", () => {
  it("direct: the callee ended the INVITE itself; two readings remain, so confidence stays moderate (S10a)", () => {
    const f = one(diagnose(corpusModel("S10a_487_without_cancel_direct")), "487-without-cancel");
    expect(f.details.likeliest).toBe("uas-ended-itself");
    expect((f.details.candidates as unknown[]).length).toBeGreaterThanOrEqual(2);
    expect(f.confidence).toBeLessThanOrEqual(0.6);
    expect(f.details.afterInviteMs as number).toBeGreaterThan(2500);
  });

  it("through a proxy: one finding, born at the callee and relayed (S10b)", () => {
    const f = one(diagnose(corpusModel("S10b_487_without_cancel_via_kamailio")), "487-without-cancel");
    expect(f.details.originHost).toMatch(/^127\.0\.101\.21/);
  });
});

describe("answered, busy, rejected and not-found calls get no finding", () => {
  for (const s of [
    "S7a_answered_direct_sipp_builtin",
    "S7b_answered_via_kamailio",
    "S7c_busy_486_via_kamailio",
    "S7d_not_found_404_kamailio",
    "S7e_unavailable_480_via_kamailio",
  ]) {
    it(s, () => expect(diagnose(corpusModel(s))).toEqual([]));
  }
});

describe("text forms read the same as the capture", () => {
  it("ngrep and tshark -V of S6b give the same codes and evidence as the pcap", () => {
    const pcap = diagnose(corpusModel("S6b_missing_ack_487_retransmit_kamailio"));
    for (const ext of ["ngrep.txt", "tshark-V.txt"]) {
      const text = diagnose(corpusModel("S6b_missing_ack_487_retransmit_kamailio", ext));
      expect(
        text.map((f) => [f.code, f.evidence]),
        ext,
      ).toEqual(pcap.map((f) => [f.code, f.evidence]));
    }
  });
});
