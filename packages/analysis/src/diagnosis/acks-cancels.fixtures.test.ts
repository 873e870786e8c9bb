import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeBytes } from "../analyze.js";
import { traceEndTime } from "../model/types.js";
import { diagnose, diagnoseTrace } from "./index.js";
import { codesOf, corpusModel, FIXTURES, fixtureModel, one, partialModel } from "./test-support.js";

/**
 * Missing ACK over TCP, unmatched CANCELs, Content-Length on answered calls and inputs without
 * times, on SIPp/Kamailio captures from gen/make-acks.sh (README.md in the fixtures folder).
 */

/** Time of the last record of a classic µs pcap, read straight from the file (not through ingest). */
function lastPcapRecordTime(name: string): number {
  const b = readFileSync(`${FIXTURES}${name}`);
  expect(b.readUInt32LE(0)).toBe(0xa1b2c3d4);
  let last = NaN;
  for (let at = 24; at + 16 <= b.length; at += 16 + b.readUInt32LE(at + 8)) last = b.readUInt32LE(at) + b.readUInt32LE(at + 4) / 1e6;
  return last;
}

/** A duration or interval in words: "1.00 s", "35 ms", "0.0 ms". */
const DURATION = /\d+(?:\.\d+)? ?(?:ms|s)\b/;

describe("capture end: the last packet of any kind, not the last SIP message", () => {
  it("the model and the overview carry the capture's end through; the diagnosis measures silence up to it", () => {
    const m = fixtureModel("tcp-487-unacked-timer-h.pcap");
    const end = lastPcapRecordTime("tcp-487-unacked-timer-h.pcap");
    expect(m.captureSpan!.end).toBeCloseTo(end, 5);
    // the SIP ends about 1 s in; the caller closes its TCP connection 36 s later (FIN, no SIP)
    expect(end - m.endTime!).toBeGreaterThan(30);
    expect(traceEndTime(m)).toBe(m.captureSpan!.end);
    const doc = analyzeBytes(new Uint8Array(readFileSync(`${FIXTURES}tcp-487-unacked-timer-h.pcap`)));
    expect(doc.endTime).toBeCloseTo(end, 5);
    expect(doc.endTime! - doc.startTime!).toBeGreaterThan(35);
  });

  it("text inputs have no capture span", () => {
    expect(fixtureModel("tcp-missing-ack-untimed.tshark-V.txt").captureSpan).toBeNull();
  });
});

describe("missing-ack over TCP: what ended the wait for the ACK", () => {
  it("a capture that ran past Timer H after the single 487 says no ACK came within Timer H", () => {
    const m = fixtureModel("tcp-487-unacked-timer-h.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["caller-hangup", "missing-ack"]);
    const f = one(findings, "missing-ack");
    const r487 = m.messages.find((x) => x.status === 487)!;
    expect(f.details.ackWait).toBe("timer-h");
    expect(f.details.transmissions).toBe(1);
    expect(f.details.silenceAfterMs as number).toBeCloseTo((m.captureSpan!.end - r487.time!) * 1000, -1);
    expect(f.details.silenceAfterMs as number).toBeGreaterThanOrEqual(32000);
    expect(f.explanation).toMatch(/Timer H/);
    expect(f.title).toMatch(/within Timer H/);
    expect(f.evidence).toContain(r487.index);
  });

  it("the same SIP without the capture's end (last SIP message = end) gives no verdict: the silence is not on record", () => {
    const m = fixtureModel("tcp-487-unacked-timer-h.pcap");
    const sipOnly = partialModel(m, () => true);
    expect(sipOnly.captureSpan).toBeNull();
    const findings = diagnoseTrace({ model: sipOnly, endTime: traceEndTime(sipOnly), oneSided: sipOnly.oneSided });
    expect(codesOf(findings)).toEqual(["caller-hangup"]);
  });

  it("a capture that ended a few seconds after the 487, before Timer H, says so, with less confidence", () => {
    const short = one(diagnose(fixtureModel("tcp-missing-ack.pcap")), "missing-ack");
    const long = one(diagnose(fixtureModel("tcp-487-unacked-timer-h.pcap")), "missing-ack");
    expect(short.details.ackWait).toBe("capture-end");
    expect(short.details.silenceAfterMs as number).toBeLessThan(32000);
    expect(short.explanation).toMatch(/before the capture ended/);
    expect(short.confidence).toBeLessThan(long.confidence);
  });

  it("without timestamps the rule still sees no ACK before the trace went on, and says the timing could not be checked", () => {
    const m = fixtureModel("tcp-missing-ack-untimed.tshark-V.txt");
    expect(m.messages.every((x) => x.time === null)).toBe(true);
    const f = one(diagnose(m), "missing-ack");
    expect(f.details.ackWait).toBe("untimed");
    expect(f.details.timingChecked).toBe(false);
    expect(f.details.silenceAfterMs).toBeUndefined();
    expect(f.explanation).toMatch(/could not be checked/);
    expect(f.explanation + f.title).not.toMatch(DURATION);
    const timed = one(diagnose(fixtureModel("tcp-missing-ack.pcap")), "missing-ack");
    expect(f.confidence).toBeLessThan(timed.confidence);
  });
});

describe("cancel-unmatched: one finding per CANCEL transaction, naming the field that differs", () => {
  it("a CANCEL retransmitted unanswered because its Via sent-by lacks the INVITE's port", () => {
    const m = fixtureModel("cancel-sent-by.pcap");
    const findings = diagnose(m);
    expect(codesOf(findings)).toEqual(["cancel-unmatched"]);
    const cancels = m.messages.filter((x) => x.method === "CANCEL" && x.isRequest);
    const invite = m.messages.find((x) => x.method === "INVITE" && x.isRequest && x.src?.ip === cancels[0]!.src?.ip)!;
    expect(cancels.length).toBeGreaterThan(1);
    const f = one(findings, "cancel-unmatched");
    expect(f.details.transmissions).toBe(cancels.length);
    expect(f.evidence).toEqual(expect.arrayContaining([invite.index, ...cancels.map((c) => c.index)]));
    const cv = cancels[0]!.vias[0]!;
    const iv = invite.vias[0]!;
    expect(cv.branch).toBe(iv.branch);
    expect(f.details.differs).toEqual([{ field: "Via sent-by", cancel: cv.host, invite: `${iv.host}:${iv.port}`, note: expect.stringContaining("5060") }]);
    expect(f.explanation).toContain(`Via sent-by ${cv.host} where the INVITE has ${iv.host}:${iv.port}`);
    expect(f.explanation).not.toMatch(/has Via branch/);
    // no 1xx above 100 came, so nothing may be said to ring; the INVITE ended with the proxy's 408
    expect(m.messages.some((x) => x.status != null && x.status > 100 && x.status < 200)).toBe(false);
    expect(f.explanation).not.toMatch(/ring/i);
    expect(f.explanation).toMatch(/ended with 408/);
  });

  it("a CANCEL with a wrong branch names the branch, not the sent-by", () => {
    const f = one(diagnose(fixtureModel("cancel-wrong-branch.pcap")), "cancel-unmatched");
    expect((f.details.differs as { field: string }[]).map((d) => d.field)).toEqual(["Via branch"]);
    expect(f.details.transmissions).toBe(1);
  });
});

describe("Content-Length off on an answered call", () => {
  it("is a message problem, not alg-suspect", () => {
    const m = fixtureModel("answered-content-length.pcap");
    const answer = m.messages.find((x) => x.status === 200 && x.cseqMethod === "INVITE")!;
    expect(answer.bodyLength).toBeGreaterThan(answer.contentLength! + 16);
    expect(diagnose(m)).toEqual([]);
    const p = m.problems.find((x) => x.messageIndex === answer.index)!;
    expect(p.message).toMatch(/Content-Length mismatch/);
    expect(p.message).toContain(`${answer.contentLength} declared`);
  });

  it("on a call that failed it still counts as a sign of a middlebox, and is listed as a problem too", () => {
    const m = fixtureModel("bad-content-length.pcap");
    expect(codesOf(diagnose(m))).toEqual(["alg-suspect"]);
    expect(m.problems.map((x) => x.message).join()).toMatch(/Content-Length mismatch/);
  });
});

describe("inputs without timestamps make no timing claims", () => {
  it("a retransmitted, never ACKed 487 is still missing-ack, but its spacing is not judged against Timer G", () => {
    const text = fixtureModel("missing-ack-untimed.tshark-V.txt");
    expect(text.messages.every((x) => x.time === null)).toBe(true);
    const f = one(diagnose(text), "missing-ack");
    const copies = text.messages.filter((x) => x.status === 487).length;
    expect(f.details.transmissions).toBe(copies);
    expect(f.details.timerG).toBeUndefined();
    expect(f.details.timingChecked).toBe(false);
    expect(f.explanation).toMatch(/could not be checked against Timer G/);
    expect(`${f.title} ${f.explanation}`).not.toMatch(DURATION);
    // the capture it came from: the same copies, at Timer G spacing
    const timed = one(diagnose(corpusModel("S6a_missing_ack_487_retransmit_direct")), "missing-ack");
    expect(timed.details.transmissions).toBe(copies);
    expect(timed.details.timerG).toBe("matches");
  });

  it("a CANCEL/200 race in tshark -V text without frame times: same verdicts as the capture, no gap in ms", () => {
    const text = fixtureModel("race-untimed.tshark-V.txt");
    expect(text.messages.every((x) => x.time === null)).toBe(true);
    const findings = diagnose(text);
    const race = one(findings, "cancel-200-race");
    expect(race.details.raceGapMs).toBeUndefined();
    expect(race.explanation).toMatch(/could not be measured/);
    for (const f of findings) expect(`${f.title} ${f.explanation}`).not.toMatch(DURATION);
    // the capture it was printed from (its first two calls) reaches the same verdicts, with times
    const ids = new Set(text.messages.map((x) => x.callId));
    const timed = diagnose(partialModel(corpusModel("S5b_cancel_200_race_direct_200"), (x) => ids.has(x.callId)));
    expect(findings.map((f) => [f.code, f.callIds])).toEqual(timed.map((f) => [f.code, f.callIds]));
    expect(one(timed, "cancel-200-race").explanation).toMatch(DURATION);
  });
});
