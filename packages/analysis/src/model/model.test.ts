import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTraceModel } from "../analyze.js";
import type { TraceModel, Transaction } from "./types.js";
import { EXTERNAL_CORPUS, manifestScenario, traceBytes } from "../../test/corpus.js";

const B2BUA = `${EXTERNAL_CORPUS}/sipnab/b2bua-asterisk.pcapng`;

function model(scenario: string, ext = "pcap"): TraceModel {
  return buildTraceModel(traceBytes(scenario, ext));
}

function txs(m: TraceModel, method: string): Transaction[] {
  return m.transactions.filter((t) => t.method === method);
}

describe("transactions and CANCEL matching (S1b, caller hangs up through Kamailio)", () => {
  const m = model("S1b_caller_hangup_via_kamailio_udp");
  const [upstream, downstream] = txs(m, "INVITE");

  it("has one INVITE and one CANCEL transaction per hop", () => {
    expect(txs(m, "INVITE")).toHaveLength(2);
    expect(txs(m, "CANCEL")).toHaveLength(2);
    expect(m.messages).toHaveLength(manifestScenario("S1b_caller_hangup_via_kamailio_udp").sip_messages);
  });

  it("matches each CANCEL to the INVITE with its branch (§9.2) and each non-2xx ACK into the INVITE transaction", () => {
    for (const cancel of txs(m, "CANCEL")) {
      const invite = m.transactionById.get(cancel.matches!)!;
      expect(invite.method).toBe("INVITE");
      expect(invite.branch).toBe(cancel.branch);
      expect(invite.cancelTxIds).toContain(cancel.id);
      expect(cancel.finalStatus).toBe(200);
    }
    for (const invite of [upstream!, downstream!]) {
      expect(invite.finalStatus).toBe(487);
      expect(invite.ackIndices).toHaveLength(1);
      expect(m.messages[invite.ackIndices[0]!]!.method).toBe("ACK");
    }
  });

  it("rebuilds the hop through the proxy from the Via chain", () => {
    expect(downstream!.upstreamTxId).toBe(upstream!.id);
    expect(upstream!.downstreamTxIds).toEqual([downstream!.id]);
    expect(m.hops).toHaveLength(1);
    expect(m.hops[0]!.element).toBe(upstream!.serverHost);
    expect(m.hosts.get(upstream!.serverHost)!.forwards).toBe(true);
    expect(m.forks).toHaveLength(0);
  });

  it("attributes the relayed CANCEL to the caller", () => {
    const relayed = m.cancels.find((c) => c.inviteTxId === downstream!.id)!;
    expect(relayed.kind).toBe("relayed");
    expect(relayed.sender).toBe(upstream!.serverHost);
    expect(relayed.originator).toBe(upstream!.clientHost);
    const first = m.cancels.find((c) => c.inviteTxId === upstream!.id)!;
    expect(first.kind).toBe("originated");
    expect(first.originator).toBe(upstream!.clientHost);
  });

  it("records both capture legs as coverage and orders lanes along the call path", () => {
    expect(m.coverage.legs.map((l) => `${l.from}>${l.to}`)).toEqual([
      `${upstream!.clientHost}>${upstream!.serverHost}`,
      `${downstream!.clientHost}>${downstream!.serverHost}`,
    ]);
    expect([...m.hosts.keys()]).toEqual([upstream!.clientHost, upstream!.serverHost, downstream!.serverHost]);
    const call = [...m.calls.values()][0]!;
    expect(call.rootInviteTxId).toBe(upstream!.id);
  });
});

describe("forks", () => {
  it("S2: one upstream INVITE forked into three parallel branches, one answers, the proxy cancels the rest", () => {
    const m = model("S2_fork_one_answers_others_cancelled");
    expect(m.forks).toHaveLength(1);
    const fork = m.forks[0]!;
    expect(fork.branchTxIds).toHaveLength(3);
    expect(fork.parallel).toBe(true);
    expect(fork.winnerTxIds).toHaveLength(1);
    const losers = fork.branchTxIds.filter((id) => !fork.winnerTxIds.includes(id));
    for (const id of losers) {
      const branch = m.transactionById.get(id)!;
      expect(branch.finalStatus).toBe(487);
      const origin = m.cancels.find((c) => c.inviteTxId === id)!;
      expect(origin.kind).toBe("originated");
      expect(origin.originator).toBe(fork.element);
      expect(origin.reason.some((r) => r.protocol.toUpperCase() === "SIP" && r.cause === 200)).toBe(true);
    }
    fork.branchTxIds.forEach((id, i) => expect(m.forkBranchIndex.get(id)).toBe(i));
  });

  it("S3: all branches end in 487 with no winner and every branch CANCEL is relayed from the caller", () => {
    const m = model("S3_fork_caller_cancels_all_branches_487");
    const fork = m.forks[0]!;
    expect(fork.winnerTxIds).toEqual([]);
    const upstream = m.transactionById.get(fork.upstreamTxId!)!;
    for (const id of fork.branchTxIds) {
      expect(m.transactionById.get(id)!.finalStatus).toBe(487);
      const origin = m.cancels.find((c) => c.inviteTxId === id)!;
      expect(origin.kind).toBe("relayed");
      expect(origin.originator).toBe(upstream.clientHost);
    }
  });
});

describe("retransmissions and capture duplicates", () => {
  for (const scenario of ["S6a_missing_ack_487_retransmit_direct", "S6b_missing_ack_487_retransmit_kamailio"]) {
    it(`${scenario}: 487 retransmissions are kept and marked exactly as the manifest says`, () => {
      const m = model(scenario);
      const truth = manifestScenario(scenario);
      expect(m.messages).toHaveLength(truth.sip_messages);
      const expected = truth.calls.flatMap((c) => c.responses_487 ?? []);
      expect(expected.some((r) => r.retransmission)).toBe(true);
      for (const r of expected) {
        const msg = m.messages.find((x) => x.frame === r.frame)!;
        expect(msg.status).toBe(487);
        expect(msg.retransmissionOf !== undefined).toBe(r.retransmission);
        if (msg.retransmissionOf !== undefined) expect(m.messages[msg.retransmissionOf]!.status).toBe(487);
      }
      expect(m.duplicatesDropped).toBe(0);
    });
  }

  it("drops the same packet captured twice within microseconds but keeps the count of real messages", () => {
    const original = traceBytes("S6a_missing_ack_487_retransmit_direct");
    const doubled = duplicateEveryPacket(original, 7);
    const once = buildTraceModel(original);
    const twice = buildTraceModel(doubled);
    expect(twice.messages).toHaveLength(once.messages.length);
    expect(twice.duplicatesDropped).toBe(once.messages.length);
    expect(twice.messages.map((x) => x.retransmissionOf)).toEqual(once.messages.map((x) => x.retransmissionOf));
  });

  it("keeps a copy within the window when its IPv4 ID differs: the sender sent it twice", () => {
    const original = traceBytes("S6a_missing_ack_487_retransmit_direct");
    const once = buildTraceModel(original);
    const resent = buildTraceModel(duplicateEveryPacket(original, 7, { newIpId: true }));
    expect(resent.duplicatesDropped).toBe(0);
    expect(resent.messages).toHaveLength(once.messages.length * 2);
  });

  it.runIf(EXTERNAL_CORPUS !== null && existsSync(B2BUA))(
    "b2bua-asterisk.pcapng (field capture): the phone's two 100 Trying 0.3 ms apart, two IP IDs, are both kept",
    () => {
      const m = buildTraceModel(new Uint8Array(readFileSync(B2BUA)));
      // tshark -r b2bua-asterisk.pcapng -Y sip | wc -l → 60; no frame is a copy of another (all IP IDs differ).
      expect(m.messages).toHaveLength(60);
      expect(m.duplicatesDropped).toBe(0);
      const tryings = m.messages.filter((x) => x.status === 100);
      const pair = tryings.filter((a) =>
        tryings.some((b) => b !== a && b.time !== null && a.time !== null && Math.abs(b.time - a.time) < 0.001 && b.callId === a.callId),
      );
      expect(pair).toHaveLength(2);
      expect(pair[1]!.retransmissionOf).toBe(pair[0]!.index);
    },
  );

  it("keeps a copy that comes T1 later as a retransmission, not a duplicate", () => {
    const original = traceBytes("S1a_caller_hangup_direct_udp");
    const once = buildTraceModel(original);
    const later = buildTraceModel(duplicateEveryPacket(original, 500_000));
    expect(later.duplicatesDropped).toBe(0);
    expect(later.messages).toHaveLength(once.messages.length * 2);
    expect(later.messages.filter((x) => x.retransmissionOf !== undefined).length).toBeGreaterThanOrEqual(once.messages.length);
  });

  it("S5d: the late 200 after the 487 is recorded on the caller's INVITE (CANCEL won, 2xx arrived anyway)", () => {
    const m = model("S5d_cancel_wins_487_then_late_200_kamailio");
    const root = m.transactionById.get([...m.calls.values()][0]!.rootInviteTxId!)!;
    expect(root.finalStatus).toBe(487);
    expect(root.laterFinalStatuses).toContain(200);
    const ack2xx = m.transactions.find((t) => t.method === "ACK" && t.clientHost === root.clientHost)!;
    expect(ack2xx.matches).toBe(root.id);
  });
});

describe("lanes", () => {
  it("S9d: elements sharing ::1 get a lane per listening port; Kamailio's ephemeral TCP port joins its own lane", () => {
    const m = model("S9d_caller_hangup_via_kamailio_ipv6_tcp", "pcapng");
    expect([...m.hosts.keys()]).toEqual(["[::1]:5270", "[::1]:5260", "[::1]:5280"]);
    const proxy = m.hosts.get("[::1]:5260")!;
    expect(proxy.forwards).toBe(true);
    expect(proxy.addresses.length).toBeGreaterThan(1);
    expect(proxy.aliases).toEqual([]);
  });
});

describe("text traces without addresses", () => {
  it("infers lanes from Via and Request-URI and marks the view one-sided", () => {
    const capture = model("S1b_caller_hangup_via_kamailio_udp");
    const text = capture.messages.map((x) => capture.payloads.text(x.index)).join("\r\n");
    const m = buildTraceModel(new TextEncoder().encode(text));
    expect(m.oneSided).toBe(true);
    expect(m.messages).toHaveLength(capture.messages.length);
    expect(m.messages.map((x) => `${x.srcHost}>${x.dstHost}`)).toEqual(capture.messages.map((x) => `${x.srcHost}>${x.dstHost}`));
    expect(m.hops).toHaveLength(1);
  });
});

/**
 * Writes every pcap record twice, the copy `offsetMicros` later: what an `any` capture on a bridge
 * looks like. `newIpId`: the copy gets another IPv4 ID (Ethernet frames), as a resent packet would.
 */
function duplicateEveryPacket(pcap: Uint8Array, offsetMicros: number, opts: { newIpId?: boolean } = {}): Uint8Array {
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const little = view.getUint32(0, true) === 0xa1b2c3d4;
  const parts: Uint8Array[] = [pcap.subarray(0, 24)];
  for (let p = 24; p + 16 <= pcap.length;) {
    const len = view.getUint32(p + 8, little);
    const record = pcap.subarray(p, p + 16 + len);
    parts.push(record);
    const copy = record.slice();
    const cv = new DataView(copy.buffer);
    const micros = cv.getUint32(4, little) + offsetMicros;
    cv.setUint32(0, cv.getUint32(0, little) + Math.floor(micros / 1e6), little);
    cv.setUint32(4, micros % 1e6, little);
    if (opts.newIpId) cv.setUint16(16 + 14 + 4, cv.getUint16(16 + 14 + 4) ^ 0x8000);
    parts.push(copy);
    p += 16 + len;
  }
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
