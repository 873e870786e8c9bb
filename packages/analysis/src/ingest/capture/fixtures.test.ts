import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIXTURES, endpoint, firstLine, joinBytes, pcapRecords, readCapture, readFixture } from "../../../test/fixtures/capture/support.js";

/** [frame, first line, src, dst, epoch time] per SIP message, from tshark (see gen/expect.py). */
type Row = [number, string, string, string, number | null];
const expected = JSON.parse(readFileSync(FIXTURES + "expected.json", "utf8")) as Record<string, Row[] | { sameMessagesAs: Row[] }>;

const rowsOf = (name: string) => readFixture(name).messages.map((m): Row => [m.frame!, firstLine(m), endpoint(m.src), endpoint(m.dst), m.time]);

function expectRows(actual: Row[], truth: Row[], { times = true } = {}): void {
  expect(actual.map((r) => r.slice(0, 4))).toEqual(truth.map((r) => r.slice(0, 4)));
  if (!times) return;
  actual.forEach((r, i) => expect(r[4]).toBeCloseTo(truth[i]![4]!, 5));
}

describe("capture fixtures: same SIP messages as tshark finds", () => {
  const exact: [string, string][] = [
    ["bigendian.pcap", "big-endian µs pcap"],
    ["bigendian.pcapng", "big-endian pcapng, if_tsresol=9"],
    ["ns.pcap", "nanosecond pcap"],
    ["ns.pcapng", "pcapng with if_tsresol=9"],
    ["vlan-qinq.pcap", "802.1Q and QinQ tagged Ethernet"],
    ["bsd-null.pcap", "BSD NULL loopback"],
    ["bsd-loop.pcap", "OpenBSD LOOP"],
    ["rawip.pcap", "raw IP link type"],
    ["sll-any.pcap", "Linux cooked capture v1 ('any'), with IPv4 fragments"],
    ["sll2-any.pcapng", "Linux cooked capture v2 ('any'), with IPv4 fragments"],
    ["frag-udp4.pcap", "IPv4 fragments of a 3.8 kB INVITE"],
    ["frag-udp6.pcapng", "IPv6 fragment headers"],
    ["tcp-segments.pcap", "one INVITE over four TCP segments"],
    ["two-sections.pcapng", "two pcapng sections with their own interfaces"],
    ["two-interfaces.pcapng", "one section, Ethernet and SLL2 interfaces"],
    ["ws-sip.pcap", "SIP over WebSocket"],
  ];
  for (const [name, what] of exact) {
    it(`${name} (${what})`, () => {
      const { problems } = readFixture(name);
      expect(problems).toEqual([]);
      expectRows(rowsOf(name), expected[name] as Row[]);
    });
  }

  it("IPv4 fragments: the reassembled INVITE is whole (body matches Content-Length)", () => {
    const invite = readFixture("frag-udp4.pcap").messages[0]!;
    const [head, body] = invite.text.split("\r\n\r\n");
    const declared = Number(/Content-Length: *(\d+)/.exec(head!)![1]);
    expect(declared).toBeGreaterThan(2500);
    expect(new TextEncoder().encode(body).length).toBe(declared);
    expect(invite.frame).toBe(4); // the last fragment completes it
  });

  it("IPv6 addresses come out in RFC 5952 form", () => {
    for (const m of readFixture("frag-udp6.pcapng").messages) expect([m.src!.ip, m.dst!.ip]).toEqual(["::1", "::1"]);
  });

  it("SPB packets (no timestamp): messages with time null", () => {
    const { messages, problems } = readFixture("spb.pcapng");
    expect(problems).toEqual([]);
    expect(messages.map((m) => [m.frame, firstLine(m), endpoint(m.src), endpoint(m.dst)])).toEqual((expected["spb.pcapng"] as Row[]).map((r) => r.slice(0, 4)));
    expect(messages.every((m) => m.time === null)).toBe(true);
  });

  it("WebSocket: transport ws, masked client frames, a message split over two frames, control frames skipped", () => {
    const { messages } = readFixture("ws-sip.pcap");
    expect(messages.map((m) => m.transport)).toEqual(Array(7).fill("ws"));
    expect(messages.map(firstLine)).toEqual([
      "INVITE sip:bob@example.com SIP/2.0",
      "SIP/2.0 100 Trying",
      "SIP/2.0 180 Ringing",
      "CANCEL sip:bob@example.com SIP/2.0",
      "SIP/2.0 200 OK",
      "SIP/2.0 487 Request Terminated",
      "ACK sip:bob@example.com SIP/2.0",
    ]);
    const cancel = messages[3]!.text;
    expect(cancel).toContain('Reason: SIP;cause=487;text="Call cancelled by caller"');
    expect(cancel.endsWith("Content-Length: 0\r\n\r\n")).toBe(true);
  });

  it("WebSocket capture that starts after the HTTP upgrade: frames are still found", () => {
    const all = readFixture("ws-sip.pcap").messages;
    const bytes = new Uint8Array(readFileSync(FIXTURES + "ws-sip.pcap"));
    const { header, records } = pcapRecords(bytes);
    const late = readCapture(joinBytes([header, ...records.slice(8)])); // from frame 9: the INVITE's second segment
    expect(late.messages.map(firstLine)).toEqual(all.slice(1).map(firstLine));
    expect(late.messages.every((m) => m.transport === "ws")).toBe(true);
  });

  it("SIP over TLS cannot be read: no messages, a warning that says why and what the frames held", () => {
    const { messages, problems } = readFixture("tls-5061.pcap");
    expect(messages).toEqual([]);
    expect(problems).toEqual([
      {
        where: "frame 4",
        message: expect.stringMatching(/^1 TLS-encrypted TCP connection \(first 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:5061\) could not be read/),
        severity: "warning",
      },
      { where: "frames 1-18", message: "no SIP in 18 frames: 18 TCP segments without SIP", severity: "warning" },
    ]);
  });

  it("HEP v3 (Kamailio siptrace): inner SIP with addresses and time from the HEP chunks", () => {
    const { messages, problems } = readFixture("hep3.pcap");
    expect(problems).toEqual([]);
    expectRows(rowsOf("hep3.pcap"), expected["hep3.pcap"] as Row[]);
    // The carrier is 127.0.0.1:5080 -> :9060; the messages must not say so.
    expect(messages.some((m) => m.dst?.port === 9060)).toBe(false);
    expect(messages.every((m) => m.transport === "udp")).toBe(true);
  });

  it("HEP v2 (Kamailio siptrace, hep_version 2): inner SIP, addresses and time from the HEP header", () => {
    const { messages, problems } = readFixture("hep2.pcap");
    expect(problems).toEqual([]);
    expectRows(rowsOf("hep2.pcap"), expected["hep2.pcap"] as Row[]);
    expect(messages.map(firstLine)).toEqual(readFixture("hep3.pcap").messages.map(firstLine));
  });

  it("HEP v3 over TCP to a collector: packets split out of the stream", () => {
    const { messages, problems } = readFixture("hep3-tcp.pcap");
    expect(problems).toEqual([]);
    expectRows(rowsOf("hep3-tcp.pcap"), expected["hep3-tcp.pcap"] as Row[]);
    expect(messages.map(firstLine)).toEqual(readFixture("hep3.pcap").messages.map(firstLine));
  });

  for (const name of ["tcp-reorder-retransmit.pcap", "tcp-coalesced.pcap"]) {
    it(`${name}: every message of the original TCP call exactly once`, () => {
      const truth = (expected[name] as { sameMessagesAs: Row[] }).sameMessagesAs;
      const key = (r: Row) => `${r[1]} ${r[2]} ${r[3]}`;
      const { messages, problems } = readFixture(name);
      expect(problems).toEqual([]);
      expect(rowsOf(name).map(key).sort()).toEqual(truth.map(key).sort());
      expect(messages.every((m) => m.transport === "tcp")).toBe(true);
    });
  }

  it("tcp-coalesced.pcap: three messages from one segment share its frame", () => {
    const frames = readFixture("tcp-coalesced.pcap").messages.map((m) => m.frame);
    const counts = new Map<number, number>();
    for (const f of frames) counts.set(f!, (counts.get(f!) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBe(3);
  });

  for (const name of ["truncated.pcap", "truncated.pcapng"]) {
    it(`${name}: everything before the cut, then an error naming frame and byte`, () => {
      const { messages, problems } = readFixture(name);
      expectRows(rowsOf(name), expected[name] as Row[]);
      expect(problems).toHaveLength(1);
      const lastFrame = messages.at(-1)!.frame!;
      expect(problems[0]!.severity).toBe("error");
      expect(problems[0]!.where).toMatch(new RegExp(`^frame ${lastFrame + 1} \\(byte \\d+\\)$`));
      expect(problems[0]!.message).toMatch(/truncated/);
    });
  }

  it("results do not depend on how the bytes are chunked", () => {
    for (const name of ["ws-sip.pcap", "two-sections.pcapng", "frag-udp6.pcapng", "tcp-reorder-retransmit.pcap"]) {
      const whole = readFixture(name, 1 << 20).messages;
      for (const chunk of [1, 5, 333]) expect(readFixture(name, chunk).messages).toEqual(whole);
    }
  });
});
