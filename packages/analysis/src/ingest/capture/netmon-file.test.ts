import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXTERNAL_CORPUS } from "../../../test/corpus.js";
import { FIXTURES, endpoint, firstLine, joinBytes, readCapture } from "../../../test/fixtures/capture/support.js";
import { createTraceReader } from "../index.js";
import { netmon } from "../../../test/fixtures/capture/packets.js";

type Row = [number, string, string, string, number];
const expected = JSON.parse(readFileSync(FIXTURES + "external-expected.json", "utf8")) as Record<string, Row[]>;

describe.runIf(EXTERNAL_CORPUS !== null)("Network Monitor 2.x capture from the field (sipnab/c07-sip-r2.cap, PROTOS c07)", () => {
  const bytes = () => new Uint8Array(readFileSync(`${EXTERNAL_CORPUS}/sipnab/c07-sip-r2.cap`));
  // The fuzzed requests siplens' SIP framing does not take (methods of 65 and more characters, start
  // lines over 4 KiB; 29 datagrams from frame 4 on) are counted aloud instead of passing as non-SIP.
  const unreadable = {
    where: "frame 4",
    message:
      '29 UDP datagrams look like a SIP request (the first line ends in "SIP/2.0") but the start line is not one siplens reads (a method longer than 32 characters, a start line over 4096 bytes, or a Request-URI without a scheme); skipped',
    severity: "warning",
  };

  it("is recognised by its magic and named", () => {
    const problems: unknown[] = [];
    const reader = createTraceReader({ message: () => {}, problem: (p) => problems.push(p) });
    reader.push(bytes());
    reader.end();
    expect(reader.detected()).toEqual({ format: "netmon", name: "Microsoft Network Monitor 2.0" });
    expect(reader.notATrace()).toBeNull();
    expect(problems).toEqual([unreadable]);
  });

  it("frames, times and endpoints as tshark reads them", () => {
    const { messages, problems } = readCapture(bytes(), 4096);
    expect(problems).toEqual([unreadable]);
    const truth = expected["sipnab/c07-sip-r2.cap"]!;
    const byFrame = new Map(truth.map((r) => [r[0], r]));
    // tshark calls 12 of the fuzzed datagrams SIP; of those the reader takes the 3 with methods of
    // at most 32 characters (frames 7-15 are in the warning above) and is judged on them.
    expect(messages.map((m) => m.frame)).toEqual([3, 5, 6]);
    for (const m of messages) {
      const t = byFrame.get(m.frame!)!;
      expect([firstLine(m), endpoint(m.src), endpoint(m.dst)]).toEqual([t[1], t[2], t[3]]);
      expect(m.time).toBeCloseTo(t[4], 5);
    }
  });
});

// ---- hand-built files ----

const SIP = new TextEncoder().encode("OPTIONS sip:a@example.com SIP/2.0\r\nCall-ID: n\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
const rawIp = () => {
  const udp = joinBytes([Uint8Array.from([0x13, 0xc4, 0x13, 0xc4, 0, 8 + SIP.length, 0, 0]), SIP]);
  return joinBytes([Uint8Array.from([0x45, 0, 0, 20 + udp.length, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]), udp]);
};
const ethernet = (payload: Uint8Array) => joinBytes([Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]), payload]);

const START = Date.UTC(2024, 1, 29, 12, 30, 15, 250) / 1000;

describe("Network Monitor files built here", () => {
  it("2.1: each frame's media type from its trailer; NetMon's own records and unknown media are not SIP", () => {
    const file = netmon(2, 1, 1, [
      { data: ethernet(rawIp()), deltaUs: 0 },
      { data: rawIp(), media: 0xe000 | 101, deltaUs: 1_500_000 }, // a pcap link type inside NetMon
      { data: new Uint8Array(40), media: 0xffff, deltaUs: 1_600_000 }, // capture filter record
      { data: new Uint8Array(60), media: 6, deltaUs: 1_700_000 }, // 802.11 with NetMon's radio header
      { data: rawIp(), media: 8, deltaUs: 2_000_000 }, // tunnelling interface: raw IP
    ]);
    const { messages, problems } = readCapture(file, 33);
    expect(messages.map((m) => [m.frame, m.time])).toEqual([
      [1, START],
      [2, START + 1.5],
      [5, START + 2],
    ]);
    expect(messages.every((m) => endpoint(m.src) === "10.0.0.1:5060")).toBe(true);
    expect(problems).toEqual([{ where: "frame 4", message: "1 frame was skipped: Network Monitor media type 6 is not supported", severity: "warning" }]);
  });

  it("1.x: millisecond deltas, 16-bit lengths, media type from the header", () => {
    const { messages, problems } = readCapture(
      netmon(1, 1, 1, [
        { data: ethernet(rawIp()), deltaUs: 0 },
        { data: ethernet(rawIp()), deltaUs: 250_000 },
      ]),
    );
    expect(problems).toEqual([]);
    expect(messages.map((m) => [m.frame, m.time])).toEqual([
      [1, START],
      [2, START + 0.25],
    ]);
  });

  it("a file cut before its frame table: a located error, nothing thrown", () => {
    const file = netmon(2, 0, 1, [{ data: ethernet(rawIp()), deltaUs: 0 }]);
    const { messages, problems } = readCapture(file.subarray(0, file.length - 2));
    expect(messages).toEqual([]);
    expect(problems).toEqual([
      { where: "byte 24", message: expect.stringMatching(/^damaged or truncated Network Monitor file: its frame table/), severity: "error" },
    ]);
    for (let n = 4; n < file.length; n++) expect(() => readCapture(file.subarray(0, n))).not.toThrow();
  });

  it("a frame table entry pointing past the end stops there, after the frames before it", () => {
    const file = netmon(2, 0, 1, [
      { data: ethernet(rawIp()), deltaUs: 0 },
      { data: ethernet(rawIp()), deltaUs: 1 },
    ]).slice();
    new DataView(file.buffer).setUint32(file.length - 4, 0x7fff0000, true);
    const { messages, problems } = readCapture(file);
    expect(messages.map((m) => m.frame)).toEqual([1]);
    expect(problems).toEqual([{ where: "frame 2 (byte 2147418112)", message: expect.stringMatching(/frame table points past the end/), severity: "error" }]);
  });

  it("an unsupported file version is named", () => {
    const file = netmon(2, 0, 1, []).slice();
    file[5] = 3;
    expect(readCapture(file).problems).toEqual([
      { where: "byte 4", message: "Network Monitor file version 3.0 is not supported (1.x and 2.x are)", severity: "error" },
    ]);
  });
});

it("random damage to a Network Monitor file never throws", () => {
  const original = readFileSync(`${FIXTURES}ns.pcap`); // any bytes will do as frame data
  let s = 11;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let round = 0; round < 200; round++) {
    const file = joinBytes([new TextEncoder().encode("GMBU"), new Uint8Array(original.subarray(4, 4 + Math.floor(rnd() * 3000)))]);
    for (let i = 0; i < 10; i++) file[4 + Math.floor(rnd() * 60)] = Math.floor(rnd() * 256); // the header
    expect(() => readCapture(file, 1 + Math.floor(rnd() * 500))).not.toThrow();
  }
});
