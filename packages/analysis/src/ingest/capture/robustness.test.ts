import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIXTURES, firstLine, joinBytes, pcapRecords, readCapture, readFixture } from "../../../test/fixtures/capture/support.js";
import { FragmentReassembler } from "./ip-fragments.js";
import { createCaptureIngestor, detectCaptureKind } from "./index.js";
import { ipv6ToString } from "./ip-address.js";

const fixture = (name: string) => new Uint8Array(readFileSync(FIXTURES + name));

/** Small deterministic PRNG so failures can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

describe("damaged captures", () => {
  it("an impossible record length stops reading there, with frame and byte, after delivering what came before", () => {
    const bytes = fixture("ns.pcap").slice();
    const { records } = pcapRecords(bytes);
    const fourth = records[3]!;
    const at = fourth.byteOffset - bytes.byteOffset;
    new DataView(bytes.buffer).setUint32(at + 8, 0x7fffffff, true);
    const { messages, problems } = readCapture(bytes);
    expect(messages.map((m) => m.frame)).toEqual([1, 2, 3]);
    expect(problems).toEqual([{ where: `frame 4 (byte ${at})`, message: expect.stringMatching(/damaged capture/), severity: "error" }]);
  });

  it("a pcapng block with a broken length is reported with its location", () => {
    const bytes = fixture("ns.pcapng").slice();
    const good = readCapture(bytes).messages.length;
    // Corrupt the trailing length copy of the last block.
    new DataView(bytes.buffer).setUint32(bytes.length - 4, 12345, true);
    const { messages, problems } = readCapture(bytes);
    expect(messages).toHaveLength(good - 1);
    expect(problems[0]!.where).toMatch(/^frame \d+ \(byte \d+\)$/);
    expect(problems[0]!.message).toMatch(/disagree/);
  });

  it("a lost TCP segment is reported; later messages on the stream are still read", () => {
    const bytes = fixture("tcp-segments.pcap");
    const { header, records } = pcapRecords(bytes);
    const without5 = joinBytes([header, ...records.filter((_, i) => i !== 4)]);
    const { messages, problems } = readCapture(without5);
    expect(messages.map(firstLine)).toEqual([
      "SIP/2.0 180 Ringing",
      "SIP/2.0 200 OK",
      "ACK sip:service@127.0.0.1:5060 SIP/2.0",
      "BYE sip:service@127.0.0.1:5060 SIP/2.0",
      "SIP/2.0 200 OK",
    ]);
    expect(problems.map((p) => p.message).join("\n")).toMatch(/1228 bytes never captured/);
  });

  it("a missing IP fragment drops that datagram only and says so", () => {
    const { header, records } = pcapRecords(fixture("frag-udp4.pcap"));
    const { messages, problems } = readCapture(joinBytes([header, ...records.filter((_, i) => i !== 1)]));
    expect(messages).toHaveLength(5);
    expect(problems).toEqual([{ where: "frame 1", message: expect.stringMatching(/1 fragmented IP datagram was never completed/), severity: "warning" }]);
  });

  it("an unsupported link type is named once, not per frame", () => {
    const bytes = fixture("ns.pcap").slice();
    new DataView(bytes.buffer).setUint32(20, 105, true); // IEEE 802.11
    const { messages, problems } = readCapture(bytes);
    expect(messages).toEqual([]);
    expect(problems).toEqual([{ where: "frame 1", message: "7 frames were skipped: link type 105 is not supported", severity: "warning" }]);
  });

  it("random corruption never throws and always finishes", () => {
    const rnd = prng(7);
    for (const name of ["ws-sip.pcap", "two-sections.pcapng", "frag-udp6.pcapng", "hep3.pcap", "tcp-reorder-retransmit.pcap"]) {
      const original = fixture(name);
      for (let round = 0; round < 40; round++) {
        const bytes = original.slice();
        const flips = 1 + Math.floor(rnd() * 20);
        for (let i = 0; i < flips; i++) bytes[4 + Math.floor(rnd() * (bytes.length - 4))] = Math.floor(rnd() * 256); // keep the magic
        const cut = rnd() < 0.3 ? Math.floor(rnd() * bytes.length) : bytes.length;
        expect(() => readCapture(bytes.subarray(0, cut), 1 + Math.floor(rnd() * 700))).not.toThrow();
      }
    }
  });
});

describe("streaming input", () => {
  it("a caller that reuses one buffer for every chunk gets the same messages", () => {
    for (const name of ["tcp-segments.pcap", "ws-sip.pcap", "two-sections.pcapng", "frag-udp6.pcapng"]) {
      const bytes = fixture(name);
      const whole = readFixture(name, 1 << 20).messages;
      for (const size of [7, 100, 1500]) {
        const scratch = new Uint8Array(size);
        const messages: unknown[] = [];
        const ing = createCaptureIngestor(detectCaptureKind(bytes)!, { message: (m) => messages.push(m), problem: () => {} });
        for (let i = 0; i < bytes.length; i += size) {
          const n = Math.min(size, bytes.length - i);
          scratch.set(bytes.subarray(i, i + n));
          ing.push(scratch.subarray(0, n));
          scratch.fill(0xee); // what a reader that kept a reference would see next
        }
        ing.end();
        expect(messages).toEqual(whole);
      }
    }
  });
});

describe("snapshot length", () => {
  it("packets cut by a small snaplen are reported; what was captured is still delivered", () => {
    const { header, records } = pcapRecords(fixture("ns.pcap").slice());
    const cut = records.map((r) => {
      const keep = Math.min(r.length - 16, 200);
      const copy = r.slice(0, 16 + keep);
      new DataView(copy.buffer).setUint32(8, keep, true);
      return copy;
    });
    const { messages, problems } = readCapture(joinBytes([header, ...cut]));
    expect(messages).toHaveLength(7);
    expect(messages.every((m) => m.text.length <= 200 - 42)).toBe(true);
    expect(problems).toEqual([
      { where: "frame 1", message: "7 packets were captured shorter than sent (snapshot length); SIP messages in them are incomplete", severity: "warning" },
    ]);
  });
});

describe("IP fragment reassembly bounds", () => {
  it("reassembles out-of-order and duplicate fragments", () => {
    const r = new FragmentReassembler();
    const data = Uint8Array.from({ length: 40 }, (_, i) => i);
    expect(r.add("k", 16, true, data.subarray(16, 32), 1, 1)).toBeNull();
    expect(r.add("k", 32, false, data.subarray(32), 1, 2)).toBeNull();
    expect(r.add("k", 16, true, data.subarray(16, 32), 1, 3)).toBeNull();
    expect(r.add("k", 0, true, data.subarray(0, 16), 1, 4)).toEqual(data);
    expect(r.finish()).toBeNull();
  });

  it("a fragment past the end the last fragment gave is ignored, not a crash (found by the fuzzer)", () => {
    const r = new FragmentReassembler();
    const data = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(r.add("k", 24, true, new Uint8Array(8), 1, 1)).toBeNull();
    expect(r.add("k", 8, false, data.subarray(8), 1, 2)).toBeNull();
    expect(r.add("k", 0, true, data.subarray(0, 8), 1, 3)).toEqual(data);
  });

  it("drops datagrams that time out, and counts them", () => {
    const r = new FragmentReassembler();
    r.add("old", 0, true, new Uint8Array(8), 100, 1);
    r.add("new", 0, true, new Uint8Array(8), 200, 2); // 100 s later: "old" expires
    expect(r.add("old", 8, false, new Uint8Array(8), 200, 3)).toBeNull();
    expect(r.finish()).toEqual({ count: 3, firstFrame: 1 });
  });

  it("holds a bounded number of incomplete datagrams", () => {
    const r = new FragmentReassembler();
    for (let i = 0; i < 10_000; i++) r.add(`d${i}`, 0, true, new Uint8Array(1000), 0, i + 1);
    const dropped = r.finish()!;
    expect(dropped.count).toBe(10_000);
    expect(dropped.firstFrame).toBe(1);
  });
});

describe("IPv6 text form (RFC 5952)", () => {
  const v6 = (hex: string) => ipv6ToString(Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))), 0);
  it.each([
    ["00000000000000000000000000000001", "::1"],
    ["20010db8000000000000000000000001", "2001:db8::1"],
    ["20010db8000000010000000000000001", "2001:db8:0:1::1"], // longest zero run wins
    ["20010db8000000000001000000000001", "2001:db8::1:0:0:1"], // first of equal runs
    ["20010db800000001000100010001000a", "2001:db8:0:1:1:1:1:a"], // a single zero group stays
    ["00000000000000000000ffff7f000001", "::ffff:127.0.0.1"],
    ["fe800000000000000000000000000000", "fe80::"],
  ])("%s -> %s", (hex, text) => expect(v6(hex)).toBe(text));
});

describe("non-SIP traffic", () => {
  it("RTP-like and other UDP/TCP payloads yield no messages, and one warning that says what the frames held", () => {
    const { header, records } = pcapRecords(fixture("ns.pcap").slice());
    // Turn every SIP payload into RTP-looking bytes (version 2 header first).
    const rtp = records.map((r) => {
      const copy = r.slice();
      copy.fill(0x80, 16 + 14 + 20 + 8);
      return copy;
    });
    const result = readCapture(joinBytes([header, ...rtp]));
    expect(result.messages).toEqual([]);
    expect(result.problems).toEqual([{ where: "frames 1-7", message: "no SIP in 7 frames: 7 UDP datagrams without SIP", severity: "warning" }]);
    expect(readFixture("ns.pcap").messages).toHaveLength(7);
  });
});
