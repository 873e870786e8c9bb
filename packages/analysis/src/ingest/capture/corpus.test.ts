import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { corpusManifest, manifestFilePath, tracePath } from "../../../test/corpus.js";
import { endpoint, readCapture } from "../../../test/fixtures/capture/support.js";

const manifest = corpusManifest();
const captures = Object.entries(manifest.files).filter(([, f]) => f.format === "pcap" || f.format === "pcapng");
const small = captures.filter(([path]) => !path.includes("S8a_bulk"));

/** tshark's view of the same capture (stored next to it): frame, time and endpoints per SIP frame. */
function tsharkFrames(folder: string): { frame: number; time: number; src: string; dst: string }[] {
  const path = tracePath(folder, "tshark-fields.tsv");
  const [head, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  const col = (name: string) => head!.split("\t").indexOf(name);
  return rows.map((r) => {
    const c = r.split("\t");
    const ip = (v4: string, v6: string) => c[col(v4)] || c[col(v6)];
    const port = (u: string, t: string) => c[col(u)] || c[col(t)];
    return {
      frame: Number(c[col("frame.number")]),
      time: Number(c[col("frame.time_epoch")]),
      src: `${ip("ip.src", "ipv6.src")}:${port("udp.srcport", "tcp.srcport")}`,
      dst: `${ip("ip.dst", "ipv6.dst")}:${port("udp.dstport", "tcp.dstport")}`,
    };
  });
}

describe("capture reader on the corpus", () => {
  it("covers every scenario in both capture formats", () => {
    expect(small.length).toBeGreaterThanOrEqual(48);
  });

  for (const [path, meta] of small) {
    const name = path.split("/").pop()!;
    it(`${name}: ${meta.sip_messages} SIP messages, frames/times/endpoints as tshark sees them`, () => {
      const { messages, problems } = readCapture(new Uint8Array(readFileSync(manifestFilePath(path))));
      expect(problems).toEqual([]);
      expect(messages).toHaveLength(meta.sip_messages!);
      const truth = tsharkFrames(meta.scenario_folder);
      expect(messages.map((m) => m.frame)).toEqual(truth.map((t) => t.frame));
      messages.forEach((m, i) => {
        expect(endpoint(m.src)).toBe(truth[i]!.src);
        expect(endpoint(m.dst)).toBe(truth[i]!.dst);
        expect(m.time).toBeCloseTo(truth[i]!.time, 5);
        expect(m.where).toBe(`frame ${m.frame}`);
        expect(["udp", "tcp"]).toContain(m.transport);
        expect(m.text).toMatch(/^(SIP\/2\.0 \d{3} [^\r\n]*|[A-Z]+ \S+ SIP\/2\.0)\r\n/);
      });
    });
  }

  it("reads the same messages whatever the chunk size", () => {
    const path = tracePath("S9d_caller_hangup_via_kamailio_ipv6_tcp", "pcapng");
    const bytes = new Uint8Array(readFileSync(path));
    const whole = readCapture(bytes, bytes.length).messages.map((m) => m.text);
    for (const chunk of [1, 3, 17, 1000]) expect(readCapture(bytes, chunk).messages.map((m) => m.text)).toEqual(whole);
  });

  const bulk = captures.find(([path]) => path.endsWith("S8a_bulk_mixed_load_kamailio.pcap"));
  // 32 MB: only with SIPLENS_SLOW=1 (the bench measures it too).
  it.runIf(process.env.SIPLENS_SLOW === "1" && bulk && existsSync(manifestFilePath(bulk[0])))("bulk capture: every SIP message", () => {
    const [path, meta] = bulk!;
    const { messages, problems } = readCapture(new Uint8Array(readFileSync(manifestFilePath(path))), 1 << 20);
    expect(problems).toEqual([]);
    expect(messages).toHaveLength(meta.sip_messages!);
  });
});
