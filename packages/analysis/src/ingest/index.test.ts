import { readFileSync } from "node:fs";
import { gzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { Problem } from "@siplens/contracts";
import type { RawSipMessage } from "./types.js";
import { createTraceReader, type TraceReaderOptions } from "./index.js";
import { tracePath } from "../../test/corpus.js";
import { FIXTURES, joinBytes, pcapRecords, readFixture } from "../../test/fixtures/capture/support.js";

function run(bytes: Uint8Array, opts: TraceReaderOptions = {}, chunk = 4096) {
  const messages: RawSipMessage[] = [];
  const problems: Problem[] = [];
  const reader = createTraceReader({ message: (m) => messages.push(m), problem: (p) => problems.push(p) }, opts);
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return { messages, problems, detected: reader.detected(), notATrace: reader.notATrace() };
}

const file = (path: string) => new Uint8Array(readFileSync(path));
const S1A = (ext: string) => tracePath("S1a_caller_hangup_direct_udp", ext);

describe("createTraceReader: format detection", () => {
  it("pcap and pcapng by magic number, named with their details", () => {
    expect(run(file(S1A("pcap"))).detected).toEqual({ format: "pcap", name: "pcap (µs, little-endian, link type 1)" });
    expect(run(file(FIXTURES + "two-sections.pcapng")).detected).toEqual({ format: "pcapng", name: "pcapng (2 sections, link types 1, 276)" });
  });

  it("gzip-compressed captures: same messages as the plain file", () => {
    const plain = readFixture("ns.pcap").messages;
    const gz = run(file(FIXTURES + "ns.pcap.gz"), {}, 100);
    expect(gz.detected).toEqual({ format: "pcap", name: "pcap (ns, little-endian, link type 1), gzip-compressed" });
    expect(gz.messages).toEqual(plain);
    expect(gz.problems).toEqual([]);
    const ipv6tcp = run(file(FIXTURES + "s9d-ipv6-tcp.pcapng.gz"));
    expect(ipv6tcp.messages).toHaveLength(14);
    expect(ipv6tcp.messages.every((m) => m.src?.ip === "::1" && m.transport === "tcp")).toBe(true);
  });

  it("text goes to the text readers, also when gzip-compressed", () => {
    const ngrep = file(S1A("ngrep.txt"));
    const plain = run(ngrep);
    expect(plain.detected?.format).toBe("ngrep");
    expect(plain.messages).toHaveLength(7);
    const gz = run(gzipSync(ngrep), {}, 50);
    expect(gz.detected).toEqual({ format: "ngrep", name: `${plain.detected!.name}, gzip-compressed` });
    expect(gz.messages).toEqual(plain.messages);
  });

  it("gzip that trickles in a byte at a time reads the same and in linear time (found by fuzzing: it was quadratic)", () => {
    // A real capture's times, ports and IDs compress badly enough to give tens of KB of gzip.
    const big = gzipSync(file(tracePath("S8a_bulk_mixed_load_kamailio")).subarray(0, 400_000));
    const timed = (chunk: number) => {
      const started = performance.now();
      const r = run(big, {}, chunk);
      return { ...r, ms: performance.now() - started };
    };
    const whole = timed(1 << 20);
    const trickled = timed(1);
    expect(trickled.messages).toEqual(whole.messages);
    expect(trickled.problems).toEqual(whole.problems);
    // Before, every 1-byte push made fflate re-read what it held: 30x the whole-input time here.
    expect(trickled.ms).toBeLessThan(5 * whole.ms + 1500);
  });

  it("gzip with several members (rotated logs concatenated) reads on through all of them", () => {
    const text = file(S1A("ngrep.txt"));
    const cut = text.indexOf(0x0a, text.length >> 1) + 1;
    const r = run(joinBytes([gzipSync(text.subarray(0, cut)), gzipSync(text.subarray(cut))]));
    expect(r.problems).toEqual([]);
    expect(r.messages).toEqual(run(text).messages);
  });

  it("a HEP v3 packet stream (HEP packets back to back, no capture file around them)", () => {
    const { records } = pcapRecords(file(FIXTURES + "hep3.pcap"));
    const hepPackets = records.map((r) => r.subarray(16 + 14 + 20 + 8));
    const { messages, detected, problems } = run(joinBytes(hepPackets), {}, 7);
    expect(detected).toEqual({ format: "hep", name: "HEP v3 packet stream" });
    expect(problems).toEqual([]);
    const inPcap = readFixture("hep3.pcap").messages;
    expect(messages.map((m) => [m.text, m.src, m.dst, m.time])).toEqual(inPcap.map((m) => [m.text, m.src, m.dst, m.time]));
  });

  it("input that is not a trace: no format, the list of everything tried, a clear problem", () => {
    for (const bytes of [
      file(new URL("../../package.json", import.meta.url).pathname),
      Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff),
      new Uint8Array(0),
      new Uint8Array([1, 2]),
    ]) {
      const r = run(bytes);
      expect(r.detected).toBeNull();
      expect(r.messages).toEqual([]);
      expect(r.notATrace).toEqual(expect.arrayContaining(["pcap", "pcapng", "ngrep -W byline", "tshark -V"]));
      expect(r.problems[0]!.message).toMatch(/^not a recognisable trace .*tried: pcap, pcapng/);
    }
  });

  it("gzip of something that is not a trace is not a trace either", () => {
    const r = run(gzipSync(new TextEncoder().encode("just some words\nthat are not SIP\n".repeat(50))));
    expect(r.detected).toBeNull();
    expect(r.notATrace).toContain("pcapng");
  });
});

describe("createTraceReader: limits and damage", () => {
  it("caps gzip inflation and reports it", () => {
    const bomb = gzipSync(new Uint8Array(16 * 1024 * 1024), { level: 1 }); // 16 MiB of zeros, ~70 kB compressed
    const r = run(bomb, { maxInputBytes: 1024 * 1024 }, 65536);
    expect(r.problems.some((p) => p.severity === "error" && /gzip content exceeds the 1048576-byte limit/.test(p.message))).toBe(true);
  });

  it("caps plain input too", () => {
    const r = run(file(S1A("pcap")), { maxInputBytes: 1500 });
    expect(r.messages.length).toBeLessThan(7);
    expect(r.problems.map((p) => p.message).join("\n")).toMatch(/input larger than the 1500-byte limit/);
  });

  it("a truncated gzip file delivers what inflated and says the gzip data ended early", () => {
    const gz = file(FIXTURES + "s9d-ipv6-tcp.pcapng.gz");
    const r = run(gz.subarray(0, Math.floor(gz.length * 0.6)));
    expect(r.messages.length).toBeGreaterThan(0);
    expect(r.messages.length).toBeLessThan(14);
    expect(r.problems.map((p) => p.message).join("\n")).toMatch(/gzip/);
  });

  it("detection waits for enough bytes when they trickle in one at a time", () => {
    const r = run(file(S1A("pcapng")), {}, 1);
    expect(r.detected?.format).toBe("pcapng");
    expect(r.messages).toHaveLength(7);
    const text = run(file(S1A("ngrep.txt")), {}, 1);
    expect(text.detected?.format).toBe("ngrep");
    expect(text.messages).toHaveLength(7);
  });
});
