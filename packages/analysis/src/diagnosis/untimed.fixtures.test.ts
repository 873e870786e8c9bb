import type { Finding } from "@siplens/contracts";
import { describe, expect, it } from "vitest";
import type { TraceModel } from "../model/types.js";
import { diagnose } from "./index.js";
import { corpusManifest } from "../../test/corpus.js";
import { corpusModel, fixtureModel, one } from "./test-support.js";

/**
 * Forks, proxy timeouts, 487s without CANCEL and a B2BUA's two legs printed as text without
 * times (`tshark -O sip -V`: the corpus' own .tshark-V.txt exports, and ours from
 * gen/make-untimed.sh): the verdicts are those of the capture they came from, and no sentence
 * states, compares or guesses an interval.
 */

/** A duration in words ("1.00 s", "35 ms") or the guess "an unknown time". */
const DURATION = /\d+(?:\.\d+)? ?(?:ms|s)\b|unknown time/;
/** How a sentence says an order of events was read off the order of the messages. */
const BY_ORDER = /by the order of the messages: the input has no timestamps/;

interface Case {
  untimed: () => TraceModel;
  timed: () => TraceModel;
}
const corpusCase = (scenario: string): Case => ({ untimed: () => corpusModel(scenario, "tshark-V.txt"), timed: () => corpusModel(scenario) });
const fixtureCase = (name: string): Case => ({ untimed: () => fixtureModel(`${name}-untimed.tshark-V.txt`), timed: () => fixtureModel(`${name}.pcap`) });

/** The text form, checked to carry no time at all, and the capture it was printed from. */
function pair({ untimed, timed }: Case): { text: Finding[]; capture: Finding[] } {
  const m = untimed();
  expect(m.messages.length).toBeGreaterThan(0);
  expect(m.messages.every((x) => x.time === null)).toBe(true);
  return { text: diagnose(m), capture: diagnose(timed()) };
}

const verdicts = (fs: Finding[]) => fs.map((f) => [f.code, f.severity, f.callIds]);

const S2 = corpusCase("S2_fork_one_answers_others_cancelled");
const S3 = corpusCase("S3_fork_caller_cancels_all_branches_487");
const S4b = corpusCase("S4b_proxy_timeout_relayed_as_487");
const SERIAL = fixtureCase("serial-fork-no-answer");
const B2BUA_603 = fixtureCase("b2bua-603-as-487");
const B2BUA_CANCEL = fixtureCase("b2bua-other-leg");
const CASES: [string, Case][] = [
  ["S2 fork, one answers", S2],
  ["S3 fork, the caller cancels all branches", S3],
  ["S4a proxy timeout, 408 upstream", corpusCase("S4a_proxy_timeout_fr_inv_408")],
  ["S4b proxy timeout relayed as 487", S4b],
  ["S10a 487 without CANCEL, direct", corpusCase("S10a_487_without_cancel_direct")],
  ["S10b 487 without CANCEL, via Kamailio", corpusCase("S10b_487_without_cancel_via_kamailio")],
  ["serial fork, nobody answers", SERIAL],
  ["B2BUA, other leg declined 603", B2BUA_603],
  ["B2BUA, other leg cancelled", B2BUA_CANCEL],
];

describe("text without timestamps: the capture's verdicts, no interval in any sentence", () => {
  it.each(CASES)("%s", (_, c) => {
    const { text, capture } = pair(c);
    expect(text.length).toBeGreaterThan(0);
    expect(verdicts(text)).toEqual(verdicts(capture));
    for (const f of text) {
      expect(f.title).not.toMatch(DURATION);
      expect(f.explanation).not.toMatch(DURATION);
    }
    // the capture does state its intervals: the check above can fail
    expect(capture.some((f) => DURATION.test(`${f.title} ${f.explanation}`))).toBe(true);
  });
});

describe("the corpus' own tshark -V exports (printed with the frame layer collapsed: no times)", () => {
  const small = Object.keys(corpusManifest().scenarios).filter((s) => !s.startsWith("S8"));
  const sorted = (fs: Finding[]) =>
    verdicts(fs)
      .map((v) => JSON.stringify(v))
      .sort();
  it.each(small)("%s: the pcap's verdicts, no interval", (scenario) => {
    const m = corpusModel(scenario, "tshark-V.txt");
    expect(m.messages.every((x) => x.time === null)).toBe(true);
    const text = diagnose(m);
    expect(sorted(text)).toEqual(sorted(diagnose(corpusModel(scenario))));
    for (const f of text) expect(`${f.title} ${f.explanation}`).not.toMatch(DURATION);
  });
});

describe("what the order of the messages still tells, and says it does", () => {
  it("S2: the answering branch is named, without how long it rang", () => {
    const { text, capture } = pair(S2);
    const f = one(text, "fork-branch-lost");
    expect(f.details.answerAfterMs).toBeUndefined();
    expect(one(capture, "fork-branch-lost").details.answerAfterMs).toBeGreaterThan(0);
    expect(f.explanation).toContain(`${(f.details.winningBranch as { target: string }).target} answered and the proxy cancelled the rest`);
  });

  it("S3: branches forked back to back read as parallel, by message order; the caller's CANCEL without a ring time", () => {
    const { text, capture } = pair(S3);
    const f = one(text, "no-winner");
    expect(f.details).toMatchObject({ parallel: true, cancelledBy: "caller" });
    expect(one(capture, "no-winner").details.parallel).toBe(true);
    expect(f.details.ringTimeMs).toBeUndefined();
    expect(f.explanation).toMatch(/in parallel \(by the order of the messages/);
    expect(f.explanation).toMatch(/the caller \([^)]+\) cancelled: nobody picked up/);
  });

  it("serial forking: the second branch's INVITE after the first one's CANCEL reads as one after another, as with times", () => {
    const { text, capture } = pair(SERIAL);
    const f = one(text, "no-winner");
    expect(one(capture, "no-winner").details.parallel).toBe(false);
    expect(f.details.parallel).toBe(false);
    expect(f.explanation).toMatch(/one after another \(by the order of the messages/);
    const serial = one(text, "proxy-timeout");
    expect(serial.details.serial).toBe(true);
    expect(serial.explanation).toMatch(/after giving up on the first \(by the order of the messages/);
  });

  it("S4b: the proxy cancelled its own branch and said 487 upstream; the candidate gives no interval", () => {
    const { text } = pair(S4b);
    const f = one(text, "487-without-cancel");
    expect(f.details.likeliest).toBe("proxy-cancelled-branch");
    expect(f.details.afterInviteMs).toBeUndefined();
    expect(f.title).toBe("487 without any CANCEL");
    expect(f.explanation).toMatch(/cancelled its own branch after forwarding the INVITE/);
  });

  it("a B2BUA's other leg declined 603 before its 487: mapped to 487 as with times, the order said to be the messages'", () => {
    const { text, capture } = pair(B2BUA_603);
    const f = one(text, "final-mapped-to-487");
    const c = one(capture, "final-mapped-to-487");
    expect(f.title).toBe(c.title);
    expect(f.details).toMatchObject({ mappingRole: "B2BUA", mappedStatus: 603 });
    expect(f.details.mappedAfterMs).toBeUndefined();
    expect(f.explanation).toMatch(BY_ORDER);
    expect(f.evidence).toEqual(c.evidence);
  });

  it("a B2BUA that cancelled its other leg: linked by order, the CANCEL placed before the 487 by message order, not 'at the same moment'", () => {
    const { text } = pair(B2BUA_CANCEL);
    const f = one(text, "487-without-cancel");
    expect(f.details.likeliest).toBe("b2bua-other-leg");
    expect(f.explanation).toMatch(/linked by order, numbers and address/);
    expect(f.explanation).toMatch(/before this 487 \(by the order of the messages/);
    expect(f.explanation).not.toMatch(/just as/);
  });
});

describe("a CANCEL/200 race without times: who won comes from the order of the messages, and says so", () => {
  it.each([
    ["S5d_cancel_wins_487_then_late_200_kamailio", "cancel", /late 200 OK arrived after the CANCEL \(by the order of the messages/],
    ["S5b_cancel_200_race_direct_200", "2xx", /who won is read off the order of the messages/],
  ])("%s", (scenario, winner, says) => {
    const text = diagnose(corpusModel(scenario, "tshark-V.txt")).filter((f) => f.code === "cancel-200-race");
    const capture = diagnose(corpusModel(scenario)).filter((f) => f.code === "cancel-200-race");
    expect(text.map((f) => f.details.winner)).toEqual(capture.map((f) => f.details.winner));
    const f = text.find((x) => x.details.winner === winner)!;
    expect(f.details.raceGapMs).toBeUndefined();
    expect(f.explanation).toMatch(says);
  });
});
