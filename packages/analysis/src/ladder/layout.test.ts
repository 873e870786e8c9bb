import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CallDetail, LadderRow, MessageBlock } from "@siplens/contracts";
import { analyzeBytesToParts } from "../analyze.js";
import { traceBytes, traceText } from "../../test/corpus.js";
import {
  buildLadderModel,
  callLadderModel,
  callLanes,
  findingWindows,
  laneGeometry,
  mergeCallMessages,
  transactionMembers,
  windowedRow,
  windowLabel,
} from "./index.js";

const trace = (scenario: string, ext: string) => analyzeBytesToParts(traceBytes(scenario, ext));
const asIs = { collapseRetransmissions: false, timeMode: "since-start" as const };
const detailsOf = (parts: ReturnType<typeof trace>): CallDetail[] => [...parts.callDetails()];

describe("callLadderModel on a real pcap (487 retransmitted, no ACK)", () => {
  const parts = trace("S6a_missing_ack_487_retransmit_direct", "pcap");
  const [call] = detailsOf(parts);
  const messages = call?.messages ?? [];
  const retransmissions = messages.filter((m) => m.retransmissionOf !== undefined).length;

  it("draws every message of the call when nothing is collapsed", () => {
    const model = callLadderModel(parts.overview.lanes, messages, asIs);
    expect(model.rows).toHaveLength(parts.overview.messageCount);
    expect(model.lanes.map((l) => l.id).sort()).toEqual(parts.overview.lanes.map((l) => l.id).sort());
    expect(retransmissions).toBeGreaterThan(3);
  });

  it("folds retransmissions into their first copy and counts them", () => {
    const model = callLadderModel(parts.overview.lanes, messages, { ...asIs, collapseRetransmissions: true });
    expect(model.rows).toHaveLength(messages.length - retransmissions);
    const original = model.rows.find((r) => r.hiddenRetransmissions > 0);
    expect(original?.row.label).toMatch(/^487/);
    expect(original?.hiddenRetransmissions).toBe(retransmissions);
    // a hidden copy maps to its original's position so "show message" still scrolls somewhere sensible
    const copy = messages.find((m) => m.retransmissionOf !== undefined);
    expect(copy && model.positionOf.get(copy.index)).toBe(original?.position);
  });

  it("formats times since the first visible row, as clock times or as deltas", () => {
    expect(callLadderModel(parts.overview.lanes, messages, asIs).rows[0]?.timeText).toBe("0.000 s");
    expect(callLadderModel(parts.overview.lanes, messages, { ...asIs, timeMode: "absolute" }).rows[0]?.timeText).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    expect(callLadderModel(parts.overview.lanes, messages, { ...asIs, timeMode: "delta" }).rows[1]?.timeText).toMatch(/^\+\d/);
  });

  it("collects every message of a transaction (the ACK-less INVITE transaction holds the 487 copies)", () => {
    const rows = callLadderModel(parts.overview.lanes, messages, asIs).rows.map((r) => r.row);
    const invite = messages.find((m) => m.method === "INVITE" && m.kind === "request");
    const members = transactionMembers(rows, invite?.transactionId);
    expect(members.has(invite?.index ?? -1)).toBe(true);
    expect([...members].filter((i) => messages[i]?.status === 487).length).toBe(retransmissions + 1);
  });
});

describe("calls of a multi-call trace", () => {
  const parts = trace("S5c_cancel_200_race_via_kamailio", "pcap");
  const details = detailsOf(parts);

  it("keeps only the given calls' rows and the lanes they touch", () => {
    const first = details[0]!;
    const model = callLadderModel(parts.overview.lanes, first.messages, asIs);
    expect(model.rows.every((r) => r.row.callId === first.callId)).toBe(true);
    expect(new Set(model.lanes.map((l) => l.id))).toEqual(new Set(first.hosts));
    expect(model.lanes.length).toBeLessThanOrEqual(parts.overview.lanes.length);
  });

  it("merges two calls in trace order", () => {
    const merged = mergeCallMessages([details[1]!, details[0]!]);
    expect(merged).toHaveLength(details[0]!.messages.length + details[1]!.messages.length);
    expect(merged.map((m) => m.index)).toEqual([...merged.map((m) => m.index)].sort((a, b) => a - b));
    expect(new Set(callLadderModel(parts.overview.lanes, merged, asIs).rows.map((r) => r.row.callId))).toEqual(
      new Set([details[0]!.callId, details[1]!.callId]),
    );
  });

  it("places whole-trace window rows at their message index with trace-relative times", () => {
    const block = parts.messageBlocks().next().value as MessageBlock;
    const rows: LadderRow[] = block.messages.slice(10, 20).map((m) => ({
      index: m.index,
      from: m.fromLane,
      to: m.toLane,
      label: m.label,
      time: m.time,
      delta: 0.5,
      sinceStart: null,
      callId: m.callId,
      retransmission: false,
      branchIndex: m.branchIndex,
    }));
    const laneIndex = new Map(parts.overview.lanes.map((l, i) => [l.id, i]));
    const visible = rows.map((row) => windowedRow(row, laneIndex, "delta", parts.overview.startTime));
    expect(visible.map((v) => v.position)).toEqual(rows.map((r) => r.index));
    expect(visible[0]?.timeText).toBe("+0.500 s");
    expect(visible[0]?.toLane).toBe(laneIndex.get(rows[0]!.to));
  });

  it("maps 50,000 rows (generous bound: the machine is shared)", () => {
    const base = details.flatMap((d) => d.messages).slice(0, 100);
    const rows: LadderRow[] = [];
    for (let i = 0; i < 50_000; i++) {
      const m = base[i % base.length]!;
      rows.push({
        index: i,
        from: m.fromLane,
        to: m.toLane,
        label: m.label,
        time: (m.time ?? 0) + i,
        delta: null,
        sinceStart: null,
        callId: `c${i >> 3}`,
        retransmission: false,
        branchIndex: 0,
      });
    }
    const started = performance.now();
    expect(buildLadderModel({ lanes: parts.overview.lanes, rows }, asIs).rows).toHaveLength(50_000);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});

describe("forked call", () => {
  const parts = trace("S2_fork_one_answers_others_cancelled", "pcap");
  const forked = detailsOf(parts).find((d) => d.branches > 1)!;

  it("colours branches apart and shows the proxy lane", () => {
    const model = callLadderModel(parts.overview.lanes, forked.messages, asIs);
    expect(model.lanes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(model.rows.map((r) => r.row.branchIndex)).size).toBeGreaterThan(1);
  });
});

describe("finding windows", () => {
  const parts = trace("S1a_caller_hangup_direct_udp", "pcap");
  const [call] = detailsOf(parts);
  const hangup = call!.findings.find((f) => f.code === "caller-hangup")!;

  it("brackets the ring time from the first to the last evidence row", () => {
    const model = callLadderModel(parts.overview.lanes, call!.messages, asIs);
    const windows = findingWindows([hangup], model.positionOf);
    expect(windows).toHaveLength(1);
    const positions = hangup.evidence.map((i) => model.positionOf.get(i) ?? -1);
    expect(windows[0]).toMatchObject({ findingId: hangup.id, startPosition: Math.min(...positions), endPosition: Math.max(...positions) });
    expect(windows[0]?.label).toMatch(/^cancelled after \d/);
    // the whole-trace ladder places rows at their index: any lookup with get() will do
    expect(findingWindows([hangup], { get: (i) => i })[0]?.startPosition).toBe(Math.min(...hangup.evidence));
  });
  it("has no window for a finding that measures no time", () => {
    expect(windowLabel({ ...hangup, details: { reason: "x" } })).toBeNull();
  });
});

describe("timer labels say what was measured", () => {
  const fixture = (name: string) => analyzeBytesToParts(new Uint8Array(readFileSync(join(import.meta.dirname, "../../test/fixtures/diagnosis", name))));
  // Kamailio with fr_inv_timer 3 s forks to three phones; its timer cancels all three branches
  const timedOut = fixture("fork-all-timed-out.pcap").findings.find((f) => f.code === "proxy-timeout")!;

  it("labels a proxy's 3 s cancel by its measured interval, naming no timer it does not match", () => {
    expect(timedOut.details.ringTimeMs).toBeGreaterThan(2900);
    expect(timedOut.details.ringTimeMs).toBeLessThan(3100);
    expect(windowLabel(timedOut)).toBe(`cancelled after ${(timedOut.details.ringTimeMs! / 1000).toFixed(3)} s`);
    expect(windowLabel(timedOut)).not.toMatch(/timer/i);
  });
  it("names a known timer when the measurement is within its tolerance", () => {
    const atTimerB = {
      ...timedOut,
      details: { ...timedOut.details, ringTimeMs: 32_040, timer: { name: "Timer B (64·T1)", nominalMs: 32_000, observedMs: 32_040, deltaMs: 40 } },
    };
    expect(windowLabel(atTimerB)).toBe("cancelled after 32.040 s · Timer B (64·T1) 32 s");
    const offTimerB = { ...atTimerB, details: { ...atTimerB.details, ringTimeMs: 33_500 } };
    expect(windowLabel(offTimerB)).toBe("cancelled after 33.500 s");
  });
  it("never names the merely nearest timer, nor a stored configured one (old rows)", () => {
    const stored = {
      ...timedOut,
      details: {
        ...timedOut.details,
        timer: { name: "configured timer seen across calls", nominalMs: 3000 },
        nearestTimer: { name: "30 s no-answer timer", nominalMs: 30_000 },
      },
    };
    expect(windowLabel(stored)).toBe(`cancelled after ${(timedOut.details.ringTimeMs! / 1000).toFixed(3)} s`);
  });
  it("labels each code's own interval: race gap, 487 without CANCEL", () => {
    const race = trace("S5b_cancel_200_race_direct_200", "pcap").findings.find((f) => f.code === "cancel-200-race")!;
    expect(race.details.raceGapMs).toBeDefined();
    expect(windowLabel(race)).toMatch(/^CANCEL and answer apart by \d+ ms$/);
    const without = fixture("uas-487-timer.pcap").findings.find((f) => f.code === "487-without-cancel")!;
    expect(windowLabel(without)).toMatch(/^487 after 2\.0\d\d s$/);
  });
});

describe("laneGeometry", () => {
  it("spreads lanes over the width but never closer than the minimum", () => {
    expect(laneGeometry(2, 1000, 100).centres).toEqual([325, 775]);
    const crowded = laneGeometry(10, 800, 100, 150);
    expect(crowded.spacing).toBe(150);
    expect(crowded.totalWidth).toBe(1600);
  });
});

describe("lanes follow the selected call (S5c: the trace's lane order puts the proxy first)", () => {
  const parts = trace("S5c_cancel_200_race_via_kamailio", "pcap");
  const details = detailsOf(parts);
  const pathOf = (messages: CallDetail["messages"]) => [...new Set(messages.flatMap((m) => [m.fromLane, m.toLane]))];

  it("puts the caller leftmost, then each hop in the order the call reached it", () => {
    let reordered = 0;
    for (const d of details) {
      const model = callLadderModel(callLanes([d], parts.overview.lanes), d.messages, asIs);
      const invite = d.messages.find((m) => m.method === "INVITE" && m.kind === "request")!;
      expect(model.lanes[0]?.id).toBe(invite.fromLane);
      expect(model.lanes.map((l) => l.id)).toEqual(pathOf(d.messages));
      expect(model.rows[0]?.fromLane).toBe(0);
      if (parts.overview.lanes.filter((l) => d.hosts.includes(l.id))[0]?.id !== invite.fromLane) reordered++;
    }
    // the point of the test: in the whole trace's order most of these callers are not leftmost
    expect(reordered).toBeGreaterThan(0);
  });
  it("orders two selected calls by their merged path", () => {
    const two = [details[1]!, details[2]!];
    const messages = mergeCallMessages(two);
    const model = callLadderModel(callLanes(two, parts.overview.lanes), messages, asIs);
    expect(model.lanes.map((l) => l.id)).toEqual(pathOf(messages));
  });
  it("labels a host the overview's capped lane list left out with its own name, not its id", () => {
    const d = details[1]!;
    const proxy = d.lanes?.find((l) => l.name.includes("proxy"));
    expect(proxy).toBeDefined();
    // as in a trunk capture whose busiest 48 hosts do not include this one
    const capped = parts.overview.lanes.filter((l) => l.id !== proxy!.id);
    const model = callLadderModel(callLanes([d], capped), d.messages, asIs);
    expect(model.lanes.find((l) => l.id === proxy!.id)?.name).toBe(proxy!.name);
    expect(proxy!.name).not.toBe(proxy!.id);
  });
  it("keeps the whole-trace order for the whole-trace ladder", () => {
    const rows = details.flatMap((d) => callLadderModel(parts.overview.lanes, d.messages, asIs).rows.map((r) => r.row));
    const model = buildLadderModel({ lanes: parts.overview.lanes, rows }, asIs);
    expect(model.lanes.map((l) => l.id)).toEqual(parts.overview.lanes.map((l) => l.id).filter((id) => model.lanes.some((l) => l.id === id)));
  });
});

describe("times at the capture's precision", () => {
  const parts = trace("S5c_cancel_200_race_via_kamailio", "pcap");
  const race = detailsOf(parts)
    .flatMap((d) => d.findings)
    .find((f) => f.code === "cancel-200-race" && typeof f.details.raceGapMs === "number")!;

  it("knows a pcap's times carry µs and a ms log's do not", () => {
    expect(parts.overview.timeDigits).toBe(6);
    const ms = analyzeBytesToParts(
      new TextEncoder().encode(traceText("S5c_cancel_200_race_via_kamailio", "sngrep.txt").replace(/(\d\d:\d\d:\d\d\.\d{3})\d{3}/g, "$1")),
    );
    expect(ms.overview.messageCount).toBe(parts.overview.messageCount);
    expect(ms.overview.timeDigits).toBe(3);
  });
  it("measures a race gap to the µs and labels its window so", () => {
    const gap = race.details.raceGapMs as number;
    // the gap as the capture's µs give it, not rounded to 0.1 ms
    const [first, second] = race.evidence.map(
      (i) =>
        detailsOf(parts)
          .flatMap((d) => d.messages)
          .find((m) => m.index === i)!.time!,
    );
    expect(Math.abs(gap)).toBeCloseTo(Math.abs(second! - first!) * 1000, 3);
    expect(gap).not.toBe(Math.round(gap * 10) / 10);
    expect(windowLabel(race, parts.overview.timeDigits)).toContain(`CANCEL and answer apart by ${Math.abs(gap).toFixed(3)} ms`);
  });
  it("shows row times to the µs in every time mode", () => {
    const d = detailsOf(parts)[1]!;
    const digits = parts.overview.timeDigits;
    for (const timeMode of ["absolute", "since-start", "delta"] as const) {
      const model = callLadderModel(parts.overview.lanes, d.messages, { ...asIs, timeMode, timeDigits: digits });
      expect(model.rows[1]?.timeText).toMatch(/\.\d{6}( s)?$/);
    }
  });
});
