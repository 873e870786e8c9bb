// Real inputs the fuzzer starts from, one group per reader: the committed fixtures, small files of
// the shared corpus (real SIPp/Kamailio traffic in every text form the corpus has), and packets
// built here for encapsulations no capture has. Mutating real inputs reaches deep into each reader;
// random bytes alone rarely get past the magic number.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { corpusManifest, manifestFilePath, type ManifestFile } from "../corpus.js";
import { FIXTURES as CAPTURE_FIXTURES, joinBytes } from "../fixtures/capture/support.js";
import { bytes, ethernet, ipv4, ipv6, mplsLabel, netmon, outerUdp, pcap, sipOver4, sipOver6, u16, vxlan } from "../fixtures/capture/packets.js";

const TEXT_FIXTURES = join(CAPTURE_FIXTURES, "../text");
const RFC4475 = join(CAPTURE_FIXTURES, "../sip/rfc4475");
/** Seeds bigger than this are cut: the fuzzer wants many small inputs, not a few big ones. */
const MAX_SEED_BYTES = Number(process.env["FUZZ_MAX_SEED_BYTES"] ?? 48 * 1024);

const read = (path: string) => new Uint8Array(readFileSync(path));
const unzipped = (path: string) => (path.endsWith(".gz") ? new Uint8Array(gunzipSync(readFileSync(path))) : read(path));
const capped = (b: Uint8Array) => (b.length > MAX_SEED_BYTES ? b.subarray(0, MAX_SEED_BYTES) : b);

function captureFixtures(names: string[]): Uint8Array[] {
  return names.map((n) => capped(unzipped(join(CAPTURE_FIXTURES, n))));
}

/** The smallest corpus files of each kind (`format` plus, for text, the tool that wrote it). */
function corpusFiles(accept: (f: ManifestFile) => boolean, perKind: number): Uint8Array[] {
  const manifest = corpusManifest();
  const byKind = new Map<string, [string, number][]>();
  for (const [path, f] of Object.entries(manifest.files)) {
    if (!accept(f)) continue;
    const kind = `${f.format} ${f.tool_format ?? ""}`;
    const list = byKind.get(kind) ?? [];
    list.push([path, f.bytes ?? 0]);
    byKind.set(kind, list);
  }
  const out: Uint8Array[] = [];
  for (const list of byKind.values()) {
    // Small ones, but not only the very smallest (those are often REGISTER-only).
    list.sort((a, b) => a[1] - b[1]);
    const picked = list.filter((_, i) => i % Math.max(1, Math.floor(list.length / perKind)) === 0).slice(0, perKind);
    for (const [path] of picked) {
      const full = manifestFilePath(path);
      if (existsSync(full)) out.push(capped(unzipped(full)));
    }
  }
  return out;
}

/** One frame per encapsulation the link layer opens, each in a pcap of its own link type. */
function encapsulationPcaps(): Uint8Array[] {
  const ethernetFrames = [
    ethernet(0x0800, sipOver4()),
    ethernet(0x86dd, sipOver6()),
    ethernet(0x8100, bytes([0, 7], u16(0x0800), sipOver4())),
    ethernet(0x88a8, bytes([0, 1], u16(0x8100), [0, 2], u16(0x8864), [0x11, 0, 0, 1], u16(0), u16(0x0021), sipOver4())),
    outerUdp(4789, vxlan(ethernet(0x0800, sipOver4()))),
    outerUdp(8472, vxlan(ethernet(0x8100, bytes([0, 7], u16(0x86dd), sipOver6())))),
    ethernet(0x8847, bytes(mplsLabel(100, false), mplsLabel(200, true), sipOver4())),
    ethernet(0x8847, bytes(mplsLabel(300, true), [0, 0, 0, 0], ethernet(0x0800, sipOver4()))),
    ethernet(0x0800, ipv4(41, sipOver6())),
    ethernet(0x86dd, ipv6(4, sipOver4(), 9)),
    ethernet(0x0800, ipv4(47, bytes([0xb0, 0], u16(0x86dd), Array(12).fill(0), sipOver6()))),
    ethernet(0x0800, ipv4(47, bytes([0x20, 0], u16(0x6558), [0, 0, 0, 9], ethernet(0x0800, sipOver4())))),
    ethernet(0x0800, ipv4(47, bytes([0x10, 0], u16(0x88be), [0, 0, 0, 1], [0x10, 1, 0, 1, 0, 0, 0, 0], ethernet(0x0800, sipOver4())))),
    ethernet(
      0x0800,
      ipv4(47, bytes([0x10, 0], u16(0x22eb), [0, 0, 0, 1], [0x20, 1, 0, 1], [1, 2, 3, 4], [0, 0, 0, 1], Array(8).fill(0), ethernet(0x0800, sipOver4()))),
    ),
    outerUdp(2152, bytes([0x36, 0xff], u16(0), [0, 0, 0, 1], [0, 1, 0, 0x85], [1, 0x10, 0, 0xc0], [1, 0, 0, 0], sipOver6())),
    ethernet(0x8864, bytes([0x11, 0, 0, 1], u16(0), u16(0x0057), sipOver6())),
  ];
  const sll = bytes([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0], u16(0x8864), [0x11, 0, 0, 1], u16(0), u16(0x0057), sipOver6());
  return [
    ...ethernetFrames.map((f) => pcap(1, [f, f])),
    pcap(1, ethernetFrames),
    pcap(9, [bytes([0xff, 0x03], u16(0x0021), sipOver4())]),
    pcap(113, [sll]),
    pcap(101, [sipOver4(), sipOver6()]),
    ...captureFixtures(["bsd-loop.pcap", "bsd-null.pcap", "rawip.pcap", "sll-any.pcap", "sll2-any.pcapng", "vlan-qinq.pcap"]),
  ];
}

function netmonFiles(): Uint8Array[] {
  const frame = ethernet(0x0800, sipOver4());
  return [
    netmon(2, 1, 1, [
      { data: frame, deltaUs: 0 },
      { data: sipOver4(), media: 0xe000 | 101, deltaUs: 1_500_000 },
      { data: new Uint8Array(40), media: 0xffff, deltaUs: 1_600_000 },
    ]),
    netmon(2, 0, 1, [
      { data: frame, deltaUs: 0 },
      { data: frame, deltaUs: 10 },
    ]),
    netmon(1, 1, 1, [
      { data: frame, deltaUs: 0 },
      { data: frame, deltaUs: 250_000 },
    ]),
  ];
}

/** HEP v3 packets back to back, as a collector dumps them: the UDP payloads of a HEP pcap. */
function hepStream(): Uint8Array {
  const hep = read(join(CAPTURE_FIXTURES, "hep3.pcap"));
  const packets: Uint8Array[] = [];
  for (let i = 0; i + 4 <= hep.length; i++) {
    if (hep[i] === 0x48 && hep[i + 1] === 0x45 && hep[i + 2] === 0x50 && hep[i + 3] === 0x33) {
      const len = (hep[i + 4]! << 8) | hep[i + 5]!;
      packets.push(hep.subarray(i, i + len));
      i += len - 1;
    }
  }
  return joinBytes(packets);
}

function textFixtures(): Uint8Array[] {
  return readdirSync(TEXT_FIXTURES)
    .filter((n) => /\.(txt|log|sip)(\.gz)?$/.test(n))
    .map((n) => capped(unzipped(join(TEXT_FIXTURES, n))));
}

/** Whole SIP messages: the RFC 4475 torture tests plus ordinary INVITE dialogs. */
export function sipMessageSeeds(): string[] {
  const torture = readdirSync(RFC4475)
    .filter((n) => n.endsWith(".dat"))
    .map((n) => readFileSync(join(RFC4475, n), "latin1"));
  const plain = ["plain-crlf.sip", "plain-lf-tight.sip"].flatMap((n) =>
    readFileSync(join(TEXT_FIXTURES, n), "utf8")
      .split(/\r?\n\r?\n(?=[A-Z]+ sip:|SIP\/2\.0 )/)
      .filter((m) => m.length > 0),
  );
  return [...torture, ...plain];
}

export interface SeedGroups {
  pcap: Uint8Array[];
  pcapng: Uint8Array[];
  netmon: Uint8Array[];
  encapsulations: Uint8Array[];
  tcp: Uint8Array[];
  fragments: Uint8Array[];
  websocket: Uint8Array[];
  hep: Uint8Array[];
  gzip: Uint8Array[];
  text: Uint8Array[];
}

export function seedGroups(): SeedGroups {
  return {
    pcap: [...captureFixtures(["ns.pcap", "bigendian.pcap", "truncated.pcap"]), ...corpusFiles((f) => f.format === "pcap", 4)],
    pcapng: [
      ...captureFixtures(["ns.pcapng", "bigendian.pcapng", "truncated.pcapng", "spb.pcapng", "two-interfaces.pcapng", "two-sections.pcapng"]),
      ...corpusFiles((f) => f.format === "pcapng", 3),
    ],
    netmon: netmonFiles(),
    encapsulations: encapsulationPcaps(),
    tcp: captureFixtures(["tcp-segments.pcap", "tcp-coalesced.pcap", "tcp-reorder-retransmit.pcap", "tls-5061.pcap", "s9d-ipv6-tcp.pcapng.gz"]),
    fragments: captureFixtures(["frag-udp4.pcap", "frag-udp6.pcapng"]),
    websocket: captureFixtures(["ws-sip.pcap"]),
    hep: [...captureFixtures(["hep2.pcap", "hep3.pcap", "hep3-tcp.pcap"]), hepStream()],
    gzip: ["ns.pcap.gz", "s9d-ipv6-tcp.pcapng.gz"]
      .map((n) => read(join(CAPTURE_FIXTURES, n)))
      .concat(
        readdirSync(TEXT_FIXTURES)
          .filter((n) => n.endsWith(".gz"))
          .map((n) => read(join(TEXT_FIXTURES, n))),
      ),
    text: [...textFixtures(), ...corpusFiles((f) => f.format === "text", 2)],
  };
}
