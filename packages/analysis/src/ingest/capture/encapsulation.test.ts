import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXTERNAL_CORPUS } from "../../../test/corpus.js";
import { FIXTURES, endpoint, firstLine, readCapture } from "../../../test/fixtures/capture/support.js";
import {
  SIP_OPTIONS,
  bytes,
  ethernet,
  ipv4,
  ipv6,
  mplsLabel,
  outerUdp,
  pcap,
  sipOver4,
  sipOver6,
  u16,
  udp,
  vxlan,
} from "../../../test/fixtures/capture/packets.js";

/** [frame, first line, src, dst, epoch time] per SIP message, from tshark (gen/expect-external.py). */
type Row = [number, string, string, string, number];
const expected = JSON.parse(readFileSync(FIXTURES + "external-expected.json", "utf8")) as Record<string, Row[]>;

const external = (path: string) => new Uint8Array(readFileSync(`${EXTERNAL_CORPUS}/${path}`));
const rows = (c: ReturnType<typeof readCapture>) => c.messages.map((m) => [m.frame!, firstLine(m), endpoint(m.src), endpoint(m.dst), m.time] as Row);

describe.runIf(EXTERNAL_CORPUS !== null)("captures from the field: every SIP message tshark finds, with the innermost addresses", () => {
  const what: Record<string, string> = {
    "sipnab/DTMFsipinfo.pcap": "PPPoE session, 32 messages",
    "pcapplusplus/sip_reqs.pcap": "CANCEL and ACK over PPPoE among plain Ethernet",
    "sngrep/ipip.pcap": "183 and 200 over TCP inside IP-in-IP",
    "heplify/ipip0.pcap": "raw IP link",
    "ndpi/gre.pcapng": "VLAN, GRE version 1 (PPTP) with PPP inside",
    "aiengine/gprs_sip_flow.pcap": "GTP-U over IPv4, IPv4 inside",
    "arkime/gtp-iphone.pcap": "Linux SLL, GTP-U, IPv6 inside, UDP and TCP",
  };
  for (const [path, about] of Object.entries(what)) {
    const truth = expected[path]!;
    it(`${path} (${about})`, () => {
      const read = readCapture(external(path));
      expect(read.problems).toEqual([]);
      const actual = rows(read);
      expect(actual.map((r) => r.slice(0, 4))).toEqual(truth.map((r) => r.slice(0, 4)));
      actual.forEach((r, i) => expect(r[4]).toBeCloseTo(truth[i]![4], 5));
    });
  }

  it("DTMFsipinfo.pcap: both CANCELs, and every message over UDP", () => {
    const { messages } = readCapture(external("sipnab/DTMFsipinfo.pcap"));
    expect(messages.filter((m) => m.text.startsWith("CANCEL ")).map((m) => m.frame)).toEqual([6, 7]);
    expect(messages.every((m) => m.transport === "udp")).toBe(true);
  });

  it("gtp-iphone.pcap: SIP over TCP inside the tunnel is reassembled per inner connection", () => {
    const { messages } = readCapture(external("arkime/gtp-iphone.pcap"));
    const tcp = messages.filter((m) => m.transport === "tcp");
    expect(tcp.length).toBe(13);
    expect(tcp.every((m) => m.src!.ip.includes(":") && /\r\n\r\n/.test(m.text))).toBe(true);
  });

  it("results do not depend on how the bytes are chunked", () => {
    for (const path of ["sipnab/DTMFsipinfo.pcap", "arkime/gtp-iphone.pcap", "ndpi/gre.pcapng"]) {
      const bytes = external(path);
      const whole = readCapture(bytes).messages;
      for (const chunk of [1, 97]) expect(readCapture(bytes, chunk).messages).toEqual(whole);
    }
  });

  it("an encapsulation that cannot be opened is a located warning with a count; ordinary traffic is not", () => {
    // arkime_synthetic.pcap mixes protocols: IPsec ESP, SCTP, NSH next to ARP, ICMP, DNS and SIP.
    const { messages, problems } = readCapture(external("arkime/arkime_synthetic.pcap"));
    expect(messages).toHaveLength(4);
    expect(problems).toContainEqual({ where: "frame 303", message: "1 frame was skipped: IP protocol 50 (IPsec ESP, encrypted)", severity: "warning" });
    expect(problems).toContainEqual({
      where: expect.stringMatching(/^frame \d+$/),
      message: "7 frames were skipped: IP protocol 132 (SCTP)",
      severity: "warning",
    });
    expect(problems.map((p) => p.message).join("\n")).not.toMatch(/ARP|ICMP|UDP datagram/);
  });
});

// ---- hand-built packets for encapsulations no capture here has ----

const SIP = SIP_OPTIONS;

const readFrames = (frames: Uint8Array[], linkType = 1) => readCapture(pcap(linkType, frames));
const one = (frame: Uint8Array, linkType = 1) => {
  const r = readFrames([frame], linkType);
  return { ...r, found: r.messages.map((m) => `${firstLine(m)} ${endpoint(m.src)} -> ${endpoint(m.dst)}`) };
};
const OPTIONS_V4 = "OPTIONS sip:a@example.com SIP/2.0 10.0.0.1:5060 -> 10.0.0.2:5060";
const OPTIONS_V6 = "OPTIONS sip:a@example.com SIP/2.0 2001:db8::1:5060 -> 2001:db8::2:5060";

describe("tunnels and labels, on packets built here", () => {
  const label = mplsLabel;

  it.each([
    ["VXLAN (UDP 4789) with an IPv4 frame inside", outerUdp(4789, vxlan(ethernet(0x0800, sipOver4()))), OPTIONS_V4],
    ["VXLAN on Linux's old port 8472, VLAN-tagged IPv6 inside", outerUdp(8472, vxlan(ethernet(0x8100, bytes([0, 7], u16(0x86dd), sipOver6())))), OPTIONS_V6],
    ["MPLS, two labels, IPv4", ethernet(0x8847, bytes(label(100, false), label(200, true), sipOver4())), OPTIONS_V4],
    ["MPLS multicast, one label, IPv6", ethernet(0x8848, bytes(label(16, true), sipOver6())), OPTIONS_V6],
    ["MPLS Ethernet pseudowire with control word", ethernet(0x8847, bytes(label(300, true), [0, 0, 0, 0], ethernet(0x0800, sipOver4()))), OPTIONS_V4],
    ["IPv6 in IPv4 (protocol 41)", ethernet(0x0800, ipv4(41, sipOver6())), OPTIONS_V6],
    ["IPv4 in IPv6 (protocol 4)", ethernet(0x86dd, ipv6(4, sipOver4(), 9)), OPTIONS_V4],
    ["IPv6 in IPv6 (protocol 41)", ethernet(0x86dd, ipv6(41, sipOver6(), 9)), OPTIONS_V6],
    ["GRE, IPv4 inside", ethernet(0x0800, ipv4(47, bytes([0, 0], u16(0x0800), sipOver4()))), OPTIONS_V4],
    ["GRE with checksum, key and sequence, IPv6 inside", ethernet(0x0800, ipv4(47, bytes([0xb0, 0], u16(0x86dd), Array(12).fill(0), sipOver6()))), OPTIONS_V6],
    [
      "GRE transparent Ethernet bridging (0x6558)",
      ethernet(0x0800, ipv4(47, bytes([0x20, 0], u16(0x6558), [0, 0, 0, 9], ethernet(0x0800, sipOver4())))),
      OPTIONS_V4,
    ],
    [
      "ERSPAN type II (0x88BE, sequence number set)",
      ethernet(0x0800, ipv4(47, bytes([0x10, 0], u16(0x88be), [0, 0, 0, 1], [0x10, 1, 0, 1, 0, 0, 0, 0], ethernet(0x0800, sipOver4())))),
      OPTIONS_V4,
    ],
    ["ERSPAN type I (0x88BE, no sequence number, no header)", ethernet(0x0800, ipv4(47, bytes([0, 0], u16(0x88be), ethernet(0x0800, sipOver4())))), OPTIONS_V4],
    [
      "ERSPAN type III (0x22EB) with platform subheader",
      ethernet(
        0x0800,
        ipv4(47, bytes([0x10, 0], u16(0x22eb), [0, 0, 0, 1], [0x20, 1, 0, 1], [1, 2, 3, 4], [0, 0, 0, 1], Array(8).fill(0), ethernet(0x0800, sipOver4()))),
      ),
      OPTIONS_V4,
    ],
    [
      "GTP-U with sequence number and two extension headers, IPv6 inside",
      outerUdp(2152, bytes([0x36, 0xff], u16(0), [0, 0, 0, 1], [0, 1, 0, 0x85], [1, 0x10, 0, 0xc0], [1, 0, 0, 0], sipOver6())),
      OPTIONS_V6,
    ],
    ["PPPoE with IPv6 (PPP 0x0057)", ethernet(0x8864, bytes([0x11, 0, 0, 1], u16(0), u16(0x0057), sipOver6())), OPTIONS_V6],
    [
      "QinQ then PPPoE with IPv4 (PPP 0x0021)",
      ethernet(0x88a8, bytes([0, 1], u16(0x8100), [0, 2], u16(0x8864), [0x11, 0, 0, 1], u16(0), u16(0x0021), sipOver4())),
      OPTIONS_V4,
    ],
  ])("%s", (_, frame, line) => {
    const { found, problems } = one(frame);
    expect(problems).toEqual([]);
    expect(found).toEqual([line]);
  });

  it("PPP link type (9) and Linux SLL carrying PPPoE", () => {
    expect(one(bytes([0xff, 0x03], u16(0x0021), sipOver4()), 9).found).toEqual([OPTIONS_V4]);
    const sll = bytes([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0], u16(0x8864), [0x11, 0, 0, 1], u16(0), u16(0x0057), sipOver6());
    expect(one(sll, 113).found).toEqual([OPTIONS_V6]);
  });

  it("a UDP payload on a tunnel port that is not that tunnel is still read as SIP", () => {
    const frame = ethernet(0x0800, ipv4(17, udp(2152, 2152, SIP)));
    expect(one(frame).found).toEqual(["OPTIONS sip:a@example.com SIP/2.0 10.0.0.1:2152 -> 10.0.0.2:2152"]);
    expect(one(ethernet(0x0800, ipv4(17, udp(1234, 4789, SIP)))).found).toHaveLength(1);
  });

  it("tunnels nested too deep are skipped with a warning, never a stack overflow", () => {
    let packet = sipOver4();
    for (let i = 0; i < 40; i++) packet = ipv4(4, packet);
    const { found, problems } = one(ethernet(0x0800, packet));
    expect(found).toEqual([]);
    expect(problems[0]).toEqual({ where: "frame 1", message: "1 frame was skipped: more than 16 nested encapsulation headers", severity: "warning" });
    let tags = sipOver4();
    for (let i = 0; i < 5000; i++) tags = bytes([0, 1], u16(i === 0 ? 0x0800 : 0x8100), tags);
    expect(one(ethernet(0x8100, tags)).problems[0]!.message).toMatch(/nested/);
  });

  it("every truncation of every tunnel packet: no throw, and a damaged header is named", () => {
    const frames = [
      outerUdp(4789, vxlan(ethernet(0x0800, sipOver4()))),
      ethernet(0x8847, bytes(label(100, false), label(200, true), sipOver4())),
      ethernet(
        0x0800,
        ipv4(47, bytes([0x10, 0], u16(0x22eb), [0, 0, 0, 1], [0x20, 1, 0, 1], [1, 2, 3, 4], [0, 0, 0, 1], Array(8).fill(0), ethernet(0x0800, sipOver4()))),
      ),
      outerUdp(2152, bytes([0x36, 0xff], u16(0), [0, 0, 0, 1], [0, 1, 0, 0x85], [1, 0x10, 0, 0xc0], [1, 0, 0, 0], sipOver6())),
      ethernet(0x8864, bytes([0x11, 0, 0, 1], u16(0), u16(0x0057), sipOver6())),
    ];
    for (const f of frames) {
      for (let n = 0; n < f.length; n++) expect(() => one(f.subarray(0, n))).not.toThrow();
    }
    // GRE cut inside its header (outer IPv4 length fixed up, so this is damage, not a snapshot cut).
    const { problems } = one(ethernet(0x0800, ipv4(47, new Uint8Array([0x30, 0, 0x08, 0x00, 0, 0]))));
    expect(problems).toEqual([{ where: "frame 1", message: "1 frame was skipped: GRE header damaged or cut short", severity: "warning" }]);
  });
});

describe("frames skipped for other reasons", () => {
  const arp = ethernet(0x0806, new Uint8Array(28));
  const sip = ethernet(0x0800, sipOver4());

  it("ARP, ICMP and PPP control next to SIP: nothing to report", () => {
    const icmp = ethernet(0x0800, ipv4(1, new Uint8Array(8)));
    const lcp = ethernet(0x8864, bytes([0x11, 0, 0, 1], u16(6), u16(0xc021), [1, 1, 0, 4]));
    const { messages, problems } = readFrames([arp, sip, icmp, lcp]);
    expect(messages).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("an unsupported encapsulation is counted and located at its first frame, once per kind", () => {
    const macsec = ethernet(0x88e5, new Uint8Array(40));
    const esp = ethernet(0x0800, ipv4(50, new Uint8Array(40)));
    const { messages, problems } = readFrames([sip, macsec, esp, macsec, arp, macsec]);
    expect(messages).toHaveLength(1);
    expect(problems).toEqual([
      { where: "frame 2", message: "3 frames were skipped: ethertype 0x88e5 (MACsec, encrypted)", severity: "warning" },
      { where: "frame 3", message: "1 frame was skipped: IP protocol 50 (IPsec ESP, encrypted)", severity: "warning" },
    ]);
  });

  it("no SIP at all: one warning says what the frames held", () => {
    const dns = ethernet(0x0800, ipv4(17, udp(5353, 53, new Uint8Array(20))));
    const esp = ethernet(0x0800, ipv4(50, new Uint8Array(40)));
    const { problems } = readFrames([arp, dns, arp, esp, ethernet(0x0800, ipv4(1, new Uint8Array(8)))]);
    expect(problems).toEqual([
      { where: "frame 4", message: "1 frame was skipped: IP protocol 50 (IPsec ESP, encrypted)", severity: "warning" },
      {
        where: "frames 1-5",
        message: "no SIP in 5 frames: 1 UDP datagram without SIP, 2 × ethertype 0x0806 (ARP), 1 × IP protocol 1 (ICMP), 1 frame skipped as reported",
        severity: "warning",
      },
    ]);
  });

  it("many kinds of unsupported frames: eight warnings, then one for the rest", () => {
    const frames = Array.from({ length: 12 }, (_, i) => ethernet(0x0800, ipv4(140 + i, new Uint8Array(4))));
    const { problems } = readFrames([sip, ...frames]);
    expect(problems).toHaveLength(9);
    expect(problems[8]).toEqual({
      where: "frame 10",
      message: "4 more frames were skipped for 4 other reasons (IP protocol 148; IP protocol 149; IP protocol 150; IP protocol 151)",
      severity: "warning",
    });
  });
});

it.runIf(EXTERNAL_CORPUS !== null && existsSync(`${EXTERNAL_CORPUS}/ndpi/fuzz-2006-06-26-2594.pcap`))(
  "a fuzzed capture: no throw, damage reported in bounded warnings",
  () => {
    const { messages, problems } = readCapture(external("ndpi/fuzz-2006-06-26-2594.pcap"));
    expect(messages.length).toBeGreaterThan(50);
    expect(problems.length).toBeLessThan(20);
  },
);
