/**
 * Every whole-message text form in the shared corpus: message counts must equal the manifest's,
 * and addresses, times and Call-IDs must match the capture of the same scenario (tshark-fields.tsv).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { gunzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { RawSipMessage } from "../types.js";
import { header, readText } from "./test-support.js";
import { corpusManifest, haveCorpus, manifestFilePath, tracePath, type ManifestFile } from "../../../test/corpus.js";

const WHOLE = /^(SIPp -trace_msg|sngrep 'Save as|Kamailio sipdump|ngrep|sipgrep|tcpdump|tshark -V)/;
const EXPECTED_FORMAT: [RegExp, string][] = [
  [/^SIPp/, "SIPp -trace_msg"],
  [/^sngrep/, "sngrep 'save as text'"],
  [/^Kamailio/, "Kamailio sipdump"],
  [/^ngrep/, "ngrep -W byline"],
  [/^sipgrep/, "sipgrep"],
  [/^tcpdump/, "tcpdump -A"],
  [/^tshark -V/, "tshark -V"],
];

const files: [string, ManifestFile][] = Object.entries(corpusManifest().files).filter(
  ([rel, e]) => WHOLE.test(e.tool_format ?? "") && existsSync(manifestFilePath(rel)),
);

function load(rel: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(manifestFilePath(rel)));
  return rel.endsWith(".gz") ? gunzipSync(bytes) : bytes;
}

interface WireMessage {
  time: number;
  src: string;
  dst: string;
  callId: string;
}

/** The capture's SIP messages, one per Call-ID occurrence (a TCP frame may carry several). */
function captureMessages(scenarioDir: string): WireMessage[] | null {
  const name = scenarioDir.split("/").pop()!;
  const path = tracePath(name, "tshark-fields.tsv");
  if (!existsSync(path)) return null;
  const [head, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  const cols = head!.split("\t");
  const col = (row: string[], n: string) => row[cols.indexOf(n)] ?? "";
  const out: WireMessage[] = [];
  for (const line of rows) {
    const row = line.split("\t");
    const ip = (v4: string, v6: string) => col(row, v4) || col(row, v6);
    const port = (u: string, t: string) => col(row, u) || col(row, t);
    const src = `${ip("ip.src", "ipv6.src")}|${port("udp.srcport", "tcp.srcport")}`;
    const dst = `${ip("ip.dst", "ipv6.dst")}|${port("udp.dstport", "tcp.dstport")}`;
    for (const callId of col(row, "sip.Call-ID").split(",")) out.push({ time: Number(col(row, "frame.time_epoch")), src, dst, callId });
  }
  return out;
}

const key = (e: RawSipMessage["src"]) => (e ? `${e.ip}|${e.port}` : "?");

describe.skipIf(!haveCorpus)("corpus text traces", () => {
  it("finds the whole-message text files", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  for (const [rel, entry] of files) {
    const want = entry.sip_messages_in_file ?? entry.sip_messages ?? entry.capture_sip_messages;
    const tool = entry.tool_format ?? "";
    it(`${rel.replace(/^.*traces\//, "")}: ${want} messages`, () => {
      const { format, messages, problems } = readText(load(rel), 1000);
      if (want === 0) {
        expect(messages).toHaveLength(0);
        return;
      }
      expect(format).toBe(EXPECTED_FORMAT.find(([re]) => re.test(tool))![1]);
      expect(problems).toEqual([]);
      expect(messages).toHaveLength(want!);
      for (const m of messages) expect(m.where).toMatch(/^line \d+$/);

      const wire = captureMessages(dirname(rel));
      if (!wire) return;
      if (/^(ngrep|sipgrep|sngrep|tcpdump|tshark -V)/.test(tool)) {
        // Same messages in the same order as the capture (sngrep saves call by call: compare in time order).
        if (/^sngrep/.test(tool)) messages.sort((a, b) => a.time! - b.time!);
        expect(messages.map((m) => header(m.text, "Call-ID"))).toEqual(wire.map((w) => w.callId));
        expect(messages.map((m) => `${key(m.src)} > ${key(m.dst)}`)).toEqual(wire.map((w) => `${w.src} > ${w.dst}`));
        messages.forEach((m, i) => {
          const t = wire[i]!.time;
          if (/^tshark -V/.test(tool))
            expect(m.time).toBeNull(); // -O sip collapses the frame tree: no time
          else if (/^tcpdump/.test(tool))
            expect(m.time! % 86400).toBeCloseTo(t % 86400, 5); // time of day only
          else expect(m.time).toBeCloseTo(t, 5);
        });
      } else if (/^Kamailio/.test(tool)) {
        // The proxy's own view: every message crossed the wire between the same addresses, moments apart.
        // On TCP Kamailio reports its listening port, not the connection's ephemeral one: compare hosts only.
        const host = (k: string) => k.split("|")[0];
        const same = (a: string, b: string, tcp: boolean) => (tcp ? host(a) === host(b) : a === b);
        for (const m of messages) {
          const tcp = m.transport === "tcp";
          const match = wire.find(
            (w) => w.callId === header(m.text, "Call-ID") && same(w.src, key(m.src), tcp) && same(w.dst, key(m.dst), tcp) && Math.abs(w.time - m.time!) < 0.05,
          );
          expect(match, `${m.where} ${key(m.src)} > ${key(m.dst)}`).toBeDefined();
        }
      }
    });
  }
});

describe.skipIf(!haveCorpus)("corpus text forms agree byte for byte", () => {
  const scenarios = haveCorpus ? files.map(([rel]) => dirname(rel)).filter((d, i, all) => all.indexOf(d) === i) : [];
  for (const dir of scenarios) {
    const name = dir.split("/").pop()!;
    const path = (suffix: string) => tracePath(name, suffix);
    it.skipIf(!existsSync(path("sngrep.txt")))(`${name}: ngrep, sipgrep, tcpdump -A and tshark -V rebuild sngrep's text`, () => {
      // sngrep keeps the captured bytes (CRLF included); the others must restore what they mangle.
      const reference = readText(readFileSync(path("sngrep.txt")))
        .messages.sort((a, b) => a.time! - b.time!)
        .map((m) => m.text);
      let compared = 0;
      for (const suffix of ["ngrep.txt", "sipgrep.txt", "tcpdump-A.txt", "tshark-V.txt"]) {
        if (!existsSync(path(suffix))) continue;
        const texts = readText(readFileSync(path(suffix))).messages.map((m) => m.text);
        if (texts.length === 0) continue; // sipgrep's filter misses IPv6
        expect(texts, suffix).toEqual(reference);
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(3);
    });
  }
});
