import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildTraceModel } from "../analyze.js";
import { diagnose } from "./index.js";
import { EXTERNAL_CORPUS } from "../../test/corpus.js";
import { codesOf, fixtureModel, one, partialModel } from "./test-support.js";

/** Cases the corpus lacks, recorded with SIPp on loopback (test/fixtures/diagnosis/README.md). */

describe("late-cancel", () => {
  it("a CANCEL after the answer was ACKed is late, not a race, and no 487 finding appears", () => {
    const m = fixtureModel("late-cancel.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["late-cancel"]);
    const f = findings[0]!;
    const ack = m.messages.find((x) => x.method === "ACK")!;
    const cancel = m.messages.find((x) => x.method === "CANCEL" && x.isRequest)!;
    const answer = m.messages.find((x) => x.status === 200 && x.cseqMethod === "INVITE")!;
    expect(f.evidence).toEqual(expect.arrayContaining([ack.index, cancel.index]));
    expect(f.details.cancelAnsweredWith).toEqual([481]);
    expect(f.details.sinceAnswerMs as number).toBeCloseTo((cancel.time! - answer.time!) * 1000, 0);
  });
});

describe("cancel-unmatched and alg-suspect", () => {
  it("a CANCEL with another branch than its INVITE is answered 481; the later correct CANCEL is a normal hang-up", () => {
    const m = fixtureModel("cancel-wrong-branch.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["alg-suspect", "caller-hangup", "cancel-unmatched"]);
    const [bad, good] = m.messages.filter((x) => x.method === "CANCEL" && x.isRequest);
    const u = one(findings, "cancel-unmatched");
    expect(u.evidence).toContain(bad!.index);
    expect(u.evidence).not.toContain(good!.index);
    expect(u.details.answeredWith).toEqual([481]);
    expect(u.details.cancelBranch).not.toBe(u.details.inviteBranch);
    const h = one(findings, "caller-hangup");
    expect(h.details.ringTimeMs as number).toBeCloseTo((good!.time! - m.messages[0]!.time!) * 1000, 0);
    expect(one(findings, "alg-suspect").confidence).toBeLessThan(u.confidence);
  });
});

describe("alg-suspect: Content-Length that does not match the body", () => {
  it("names the message and both lengths; the busy call itself gets no 487 finding", () => {
    const m = fixtureModel("bad-content-length.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["alg-suspect"]);
    const bad = m.messages.find((x) => x.status === 183)!;
    expect(findings[0]!.evidence).toEqual([bad.index]);
    expect(String((findings[0]!.details.signs as string[])[0])).toContain(String(bad.contentLength));
  });
});

describe("487-without-cancel: re-INVITE ended by BYE", () => {
  it("is explained by RFC 3261 §15.1.2 as normal, with the BYE as evidence", () => {
    const m = fixtureModel("reinvite-ended-by-bye.pcap");
    const f = one(diagnose(m), "487-without-cancel");
    expect(f.details.likeliest).toBe("reinvite-ended-by-bye");
    expect(f.severity).toBe("info");
    expect(f.rfc).toContain("RFC 3261 §15.1.2");
    const bye = m.messages.find((x) => x.method === "BYE")!;
    const reinvite = m.messages.filter((x) => x.method === "INVITE" && x.isRequest)[1]!;
    expect(f.evidence).toEqual(expect.arrayContaining([bye.index, reinvite.index]));
    expect(diagnose(m).map((x) => x.code)).not.toContain("caller-hangup");
  });
});

describe("missing-ack over TCP", () => {
  it("a single 487 and silence while the capture runs on is a missing ACK, rated below a retransmitted one", () => {
    const m = fixtureModel("tcp-missing-ack.pcap");
    const findings = diagnose(m);
    const f = one(findings, "missing-ack");
    expect(f.details.reliableTransport).toBe(true);
    expect(f.details.transmissions).toBe(1);
    expect(f.details.silenceAfterMs as number).toBeGreaterThan(2000);
    expect(f.confidence).toBeLessThan(0.9);
    one(findings, "caller-hangup");
    // the unrelated answered call later in the capture gets nothing
    const other = m.messages.find((x) => x.callId !== m.messages[0]!.callId)!.callId;
    expect(findings.filter((x) => x.callIds.includes(other))).toEqual([]);
  });

  it("the same call cut off right after the 487 is not judged (the capture just ended)", () => {
    const m = fixtureModel("tcp-missing-ack.pcap");
    const first = m.messages[0]!.callId;
    const cut = partialModel(m, (x) => x.callId === first);
    expect(diagnose(cut).map((x) => x.code)).not.toContain("missing-ack");
  });
});

describe("missing-ack: an ACK that does not match", () => {
  it("an ACK for the 487 with a new branch is named, with what differs", () => {
    const m = fixtureModel("ack-wrong-branch.pcap");
    const findings = diagnose(m);
    const f = one(findings, "missing-ack");
    const ack = m.messages.find((x) => x.method === "ACK")!;
    const mismatched = f.details.mismatchedAcks as { index: number; why: string[] }[];
    expect(mismatched.map((x) => x.index)).toEqual([ack.index]);
    expect(mismatched[0]!.why.join()).toMatch(/branch/);
    expect(mismatched[0]!.why.join()).not.toMatch(/To tag|CSeq/);
    expect(f.evidence).toContain(ack.index);
    one(findings, "caller-hangup");
  });
});

describe("timer-pattern and cluster-487", () => {
  it("five 487s without CANCEL at one interval from one host: a timer, a destination cluster, and settled call verdicts", () => {
    const m = fixtureModel("uas-487-timer.pcap");
    const findings = diagnose(m);
    const t = one(findings, "timer-pattern");
    const invites = m.messages.filter((x) => x.method === "INVITE" && x.isRequest);
    const r487 = m.messages.filter((x) => x.status === 487);
    expect(t.callIds).toHaveLength(invites.length);
    expect(t.evidence).toEqual(r487.map((x) => x.index));
    const intervals = invites.map((inv) => (r487.find((r) => r.callId === inv.callId)!.time! - inv.time!) * 1000);
    expect(t.details.valueMs as number).toBeGreaterThanOrEqual(Math.floor(Math.min(...intervals)));
    expect(t.details.valueMs as number).toBeLessThanOrEqual(Math.ceil(Math.max(...intervals)));
    const c = findings.find((x) => x.code === "cluster-487" && x.details.dimension === "destination")!;
    expect(c.callIds).toHaveLength(invites.length);
    const calls = findings.filter((x) => x.code === "487-without-cancel");
    expect(calls).toHaveLength(invites.length);
    for (const f of calls) expect(f.details.timerPattern).toBeDefined();
  });

  it("a single such call is no pattern", () => {
    const m = fixtureModel("uas-487-timer.pcap");
    const first = m.messages[0]!.callId;
    const findings = diagnose(partialModel(m, (x) => x.callId === first));
    expect(codesOf(findings)).toEqual(["487-without-cancel"]);
    expect(findings[0]!.confidence).toBeLessThan(0.75);
  });
});

describe("answered elsewhere (ring group on separate Call-IDs)", () => {
  it("a CANCEL with Reason cause=200 is fork clean-up, not a caller hang-up", () => {
    const m = fixtureModel("answered-elsewhere.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["fork-branch-lost"]);
    const cancel = m.messages.find((x) => x.method === "CANCEL" && x.isRequest)!;
    expect(findings[0]!.evidence).toContain(cancel.index);
    expect(String(findings[0]!.details.reason)).toMatch(/cause=200/);
  });
});

describe("no-winner cut off by a timer", () => {
  it("every branch cancelled by the forking proxy itself: no-winner says a timer, alongside proxy-timeout", () => {
    const m = fixtureModel("fork-all-timed-out.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["no-winner", "proxy-timeout"]);
    const nw = one(findings, "no-winner");
    expect(nw.details.cancelledBy).toBe("proxy");
    expect(nw.severity).toBe("warning");
    const cancels = m.messages.filter((x) => x.method === "CANCEL" && x.isRequest).map((x) => x.index);
    const r487 = m.messages.filter((x) => x.status === 487).map((x) => x.index);
    expect(nw.evidence).toEqual(expect.arrayContaining([...cancels, ...r487]));
    const pt = one(findings, "proxy-timeout");
    expect(pt.details.upstreamFinal).toBe(408);
    expect(pt.details.cancelledHops).toHaveLength(3);
  });

  it("the 3 s timer is said to match no known timer, listing those it was compared with", () => {
    const pt = one(diagnose(fixtureModel("fork-all-timed-out.pcap")), "proxy-timeout");
    expect(pt.details.timer).toBeUndefined();
    expect(pt.details.nearestTimer).toMatchObject({ name: "30 s no-answer timer" });
    expect(pt.explanation).toMatch(/matches none of the known timers \(Timer B \(64·T1\) 32\.0 s, Timer C \(3 min\) 180 s, 30 s no-answer timer 30\.0 s/);
    expect(pt.explanation).toMatch(/the nearest, 30 s no-answer timer, is 2\d\.\d s away/);
    expect(pt.explanation).toMatch(/configured INVITE\/no-answer timer of about 2\.9\d s/);
  });
});

describe("487-without-cancel: a B2BUA's other leg", () => {
  it("links the 487 to the B2BUA's own call that ended just before it, and ranks that reading first", () => {
    const m = fixtureModel("b2bua-other-leg.pcap");
    const findings = diagnose(m);
    const f = one(findings, "487-without-cancel");
    const aLeg = m.messages[0]!.callId;
    const bLeg = m.messages.find((x) => x.callId !== aLeg)!.callId;
    expect(f.callIds).toEqual([aLeg]);
    expect(f.details.likeliest).toBe("b2bua-other-leg");
    expect(f.details.otherLegCallId).toBe(bLeg);
    const bCancel = m.messages.find((x) => x.callId === bLeg && x.method === "CANCEL" && x.isRequest)!;
    expect(f.evidence).toContain(bCancel.index);
    // the same 487 with the other leg missing from the capture stays a weaker, two-way reading
    const alone = diagnose(partialModel(m, (x) => x.callId === aLeg));
    expect(one(alone, "487-without-cancel").confidence).toBeLessThan(f.confidence);
  });
});

describe("one endpoint's log", () => {
  it("a PBX log without addresses or times is judged from the Via chain alone, without inventing a ring time", () => {
    const m = buildTraceModel(new Uint8Array(readFileSync(fileURLToPath(new URL("../../test/fixtures/text/asterisk-chan-sip-debug.txt", import.meta.url)))));
    const f = one(diagnose(m), "caller-hangup");
    expect(f.details.ringTimeMs).toBeUndefined();
    expect(f.title).not.toMatch(/unknown|NaN|undefined/);
    expect(f.explanation).not.toMatch(/unknown|NaN|undefined/);
  });
});

describe("serial forking: a per-branch timer advances to the next target", () => {
  it("branch 1's 487 is a proxy-timeout (serial advance), read from the order of the trace, not a race or fork clean-up", () => {
    const m = fixtureModel("serial-fork-timeout.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["proxy-timeout"]);
    const f = findings[0]!;
    const proxyInvites = m.messages.filter((x) => x.method === "INVITE" && x.isRequest && x.vias.length === 2);
    const [first, second] = proxyInvites;
    const cancel = m.messages.find((x) => x.method === "CANCEL" && x.isRequest)!;
    const answer = m.messages.find((x) => x.status === 200 && x.cseqMethod === "INVITE" && x.vias.length === 2)!;
    expect(cancel.requestUri).toBe(first!.requestUri);
    expect(f.evidence).toEqual(expect.arrayContaining([first!.index, cancel.index, second!.index]));
    expect(f.title).toMatch(/serial/);
    expect(f.severity).toBe("info");
    expect(f.details.serial).toBe(true);
    const next = f.details.nextBranch as { target: string; inviteIndex: number; inviteAfterCancelMs: number };
    expect(next.target).toBe(second!.requestUri);
    expect(next.inviteIndex).toBe(second!.index);
    // Kamailio sends the next INVITE and the CANCEL on the same timer event: the gap comes from the capture
    expect(next.inviteAfterCancelMs).toBeCloseTo((second!.time! - cancel.time!) * 1000, 0);
    expect(f.details.answeredByNextBranch).toBe(answer.index);
    expect(f.details.ringTimeMs as number).toBeCloseTo((cancel.time! - first!.time!) * 1000, 0);
  });

  it("captured only below the proxy, the order of the branches alone still shows the serial advance", () => {
    const m = fixtureModel("serial-fork-timeout.pcap");
    const caller = m.messages[0]!.src!.ip;
    const below = diagnose(partialModel(m, (x) => x.src?.ip !== caller && x.dst?.ip !== caller));
    expect(codesOf(below)).toEqual(["proxy-timeout"]);
    const pt = one(below, "proxy-timeout");
    expect(pt.details.serial).toBe(true);
    expect(pt.details.cancelOrigin).toBe("upstream-unseen");
    expect(pt.confidence).toBeLessThan(one(diagnose(m), "proxy-timeout").confidence);
  });

  it("with branch 2 not captured, the answer's other To tag still rules out a CANCEL/200 race", () => {
    const m = fixtureModel("serial-fork-timeout.pcap");
    // without branch 2 the CANCEL has no next branch to point at: a plain proxy timeout
    const second = m.messages.filter((x) => x.method === "INVITE" && x.isRequest && x.vias.length === 2)[1]!;
    const only = diagnose(partialModel(m, (x) => x.vias[0]?.branch !== second.vias[0]?.branch));
    expect(codesOf(only)).toEqual(["proxy-timeout"]);
    const pt = one(only, "proxy-timeout");
    expect(pt.details.serial).toBeUndefined();
    expect(pt.explanation).not.toMatch(/answered upstream with 200/);
    expect(pt.explanation).toMatch(/another target answered .*its branch is not in the trace/);
  });
});

describe("serial forking where the next target does not answer either", () => {
  it("branch 1's 487 is still the serial advance (warning: nobody answered); no-winner says one after another, by the proxy's timer", () => {
    const m = fixtureModel("serial-fork-no-answer.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["no-winner", "proxy-timeout"]);
    const [first, second] = m.messages.filter((x) => x.method === "INVITE" && x.isRequest && x.vias.length === 2);
    const [cancel1] = m.messages.filter((x) => x.method === "CANCEL" && x.isRequest);
    const r408 = m.messages.find((x) => x.status === 408)!;
    const pt = one(findings, "proxy-timeout");
    expect(pt.severity).toBe("warning");
    expect(pt.details.serial).toBe(true);
    expect(pt.details.upstreamFinal).toBe(408);
    expect(pt.evidence).toEqual(expect.arrayContaining([first!.index, cancel1!.index, second!.index, r408.index]));
    // the next INVITE left before the CANCEL in this capture: the text follows the trace's order
    expect(second!.index).toBeLessThan(cancel1!.index);
    expect(pt.explanation).toMatch(/before it: one timer event sends both/);
    const nw = one(findings, "no-winner");
    expect(nw.details.parallel).toBe(false);
    expect(nw.details.cancelledBy).toBe("proxy");
  });
});

describe("final-mapped-to-487: a proxy hides the callee's final behind a 487", () => {
  it("names the 603 and the 487 the proxy sent instead, and outranks the 487-without-cancel reading", () => {
    const m = fixtureModel("final-mapped-to-487.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["final-mapped-to-487"]);
    const f = findings[0]!;
    const decline = m.messages.find((x) => x.status === 603)!;
    const r487 = m.messages.find((x) => x.status === 487)!;
    expect(m.messages.some((x) => x.method === "CANCEL")).toBe(false);
    expect(f.title).toBe(`Proxy ${r487.src!.ip} mapped 603 Decline to 487`);
    expect(f.evidence).toEqual(expect.arrayContaining([decline.index, r487.index]));
    expect(f.details.mappedStatus).toBe(603);
    expect(f.details.mappedAfterMs as number).toBeCloseTo((r487.time! - decline.time!) * 1000, 0);
    expect(f.severity).toBe("warning");
    // the same 487 with the proxy→callee leg not captured: only the weaker, two-way reading is left
    const upstreamOnly = diagnose(partialModel(m, (x) => x.src?.ip !== decline.src!.ip && x.dst?.ip !== decline.src!.ip));
    const w = one(upstreamOnly, "487-without-cancel");
    expect(w.details.likeliest).toBe("uas-ended-itself");
    expect(w.confidence).toBeLessThan(f.confidence);
  });
});

describe("final-mapped-to-487 across a B2BUA's two calls", () => {
  it("the B2BUA's own outgoing call declined 603 just before its 487 on the incoming one: mapped, not 'ended itself'", () => {
    const m = fixtureModel("b2bua-603-as-487.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["final-mapped-to-487"]);
    const f = findings[0]!;
    const aLeg = m.messages[0]!.callId;
    const decline = m.messages.find((x) => x.status === 603)!;
    const bInvite = m.messages.find((x) => x.callId === decline.callId && x.method === "INVITE")!;
    const r487 = m.messages.find((x) => x.status === 487)!;
    expect(decline.callId).not.toBe(aLeg);
    expect(f.callIds).toEqual([aLeg]);
    expect(f.title).toBe(`B2BUA ${r487.src!.ip} mapped 603 Decline to 487`);
    expect(f.details).toMatchObject({ mappingRole: "B2BUA", mappedStatus: 603, otherLegCallId: decline.callId });
    expect(f.evidence).toEqual(expect.arrayContaining([bInvite.index, decline.index, r487.index]));
    // linked by time only: less sure than a proxy chained by Via
    expect(f.confidence).toBeLessThan(one(diagnose(fixtureModel("final-mapped-to-487.pcap")), "final-mapped-to-487").confidence);
    // without the other call in the capture it is a plain 487 without CANCEL again
    const alone = diagnose(partialModel(m, (x) => x.callId === aLeg));
    expect(codesOf(alone)).toEqual(["487-without-cancel"]);
  });
});

describe("487-after-2xx: a UAS that terminates an INVITE it already answered", () => {
  it("SIPp callee: 200, ACK, the 200 again (ACK never matched), BYE, then 487 — an error, not a 487 without CANCEL", () => {
    const m = fixtureModel("uas-487-after-200.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["487-after-2xx"]);
    const f = findings[0]!;
    const answers = m.messages.filter((x) => x.status === 200 && x.cseqMethod === "INVITE");
    const [ack] = m.messages.filter((x) => x.method === "ACK");
    const bye = m.messages.find((x) => x.method === "BYE")!;
    const r487 = m.messages.find((x) => x.status === 487)!;
    expect(answers).toHaveLength(2);
    expect(f.severity).toBe("error");
    expect(f.rfc).toContain("RFC 3261 §13.3.1.4");
    expect(f.evidence).toEqual(expect.arrayContaining([answers[0]!.index, answers[1]!.index, ack!.index, bye.index, r487.index]));
    expect(f.details).toMatchObject({
      answerIndex: answers[0]!.index,
      index487: r487.index,
      answerTransmissions: 2,
      answerCopiesAfterAck: 1,
      byeIndex: bye.index,
    });
    expect(f.details.answerTo487Ms as number).toBeCloseTo((r487.time! - answers[0]!.time!) * 1000, 0);
  });

  it("a 487 before any answer on the same call stays a 487 without CANCEL", () => {
    const m = fixtureModel("uas-487-after-200.pcap");
    const answersGone = diagnose(partialModel(m, (x) => !(x.status === 200 && x.cseqMethod === "INVITE")));
    expect(codesOf(answersGone)).toContain("487-without-cancel");
    expect(codesOf(answersGone)).not.toContain("487-after-2xx");
  });

  it.runIf(EXTERNAL_CORPUS !== null)("the Asterisk 13 leg of a real pjsip logger capture (no times, one-sided) gets the same reading", () => {
    const text = readFileSync(`${EXTERNAL_CORPUS}/text-logs/asterisk16-pjsip-logger-wss-b2bua-487-after-200.txt`);
    const m = buildTraceModel(new Uint8Array(text));
    const findings = diagnose(m);
    const f = one(findings, "487-after-2xx");
    expect(codesOf(findings)).not.toContain("487-without-cancel");
    const r487 = m.messages.find((x) => x.status === 487)!;
    expect(f.callIds).toEqual([r487.callId]);
    expect(f.details.index487).toBe(r487.index);
    expect(f.details.answerTransmissions).toBe(2);
    expect(f.details.byeIndex).toBe(m.messages.find((x) => x.method === "BYE" && x.callId === r487.callId)!.index);
    expect(f.explanation).not.toMatch(/undefined|NaN|unknown/);
  });
});
