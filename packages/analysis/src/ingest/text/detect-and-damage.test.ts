/** Detection (every format recognised, nothing else taken for a trace) and damaged input. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { TEXT_FORMATS, createTextIngestor, detectTextFormat } from "./index.js";
import { readText, startLine } from "./test-support.js";
import { CORPUS_TRACES, haveCorpus } from "../../../test/corpus.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "../../../test/fixtures/text");
const S1B = join(CORPUS_TRACES, "S1b_caller_hangup_via_kamailio_udp");
/** A file in scenario S1b's folder (or, with ../, in another's). */
const corpusFile = (name: string) => {
  const bytes = new Uint8Array(readFileSync(join(S1B, name)));
  return name.endsWith(".gz") ? gunzipSync(bytes) : bytes;
};
const decode = (b: Uint8Array) => new TextDecoder().decode(b.subarray(0, 64 * 1024));

describe("detectTextFormat", () => {
  const cases: [string, string, string][] = [
    ["sipp-uac-messages.log", "sipp-trace", "SIPp -trace_msg"],
    ["asterisk-pjsip-logger.txt", "asterisk-pjsip", "Asterisk pjsip set logger"],
    ["asterisk-chan-sip-debug.txt", "asterisk-chan-sip", "Asterisk chan_sip sip set debug"],
    ["freeswitch-siptrace.txt", "freeswitch", "FreeSWITCH sofia siptrace"],
    ["cisco-ccsip-messages.txt", "cisco-ccsip", "Cisco debug ccsip messages"],
    ["plain-crlf.sip", "sip", "SIP messages (plain text)"],
    ["plain-lf-tight.sip", "sip", "SIP messages (plain text)"],
    ["plain-syslog-prefixed.txt", "sip", "SIP messages (plain text)"],
  ];
  for (const [file, id, name] of cases) {
    it(`recognises ${file}`, () => {
      expect(detectTextFormat(readFileSync(join(fixtures, file), "utf8"))).toEqual({ format: id, name });
    });
  }

  const corpusCases: [string, string, string][] = [
    ["S1b_caller_hangup_via_kamailio_udp.ngrep.txt", "ngrep", "ngrep -W byline"],
    ["S1b_caller_hangup_via_kamailio_udp.sipgrep.txt", "sipgrep", "sipgrep"],
    ["S1b_caller_hangup_via_kamailio_udp.sngrep.txt", "sngrep", "sngrep 'save as text'"],
    ["S1b_caller_hangup_via_kamailio_udp.tcpdump-A.txt", "tcpdump", "tcpdump -A"],
    ["S1b_caller_hangup_via_kamailio_udp.tshark-V.txt", "tshark-verbose", "tshark -V"],
    ["kamailio-sipdump.txt", "kamailio-sipdump", "Kamailio sipdump"],
  ];
  for (const [file, id, name] of corpusCases) {
    it.skipIf(!haveCorpus)(`recognises corpus ${file}`, () => {
      expect(detectTextFormat(decode(corpusFile(file)))).toEqual({ format: id, name });
    });
  }

  it("every format has a unique human name", () => {
    const names = TEXT_FORMATS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  const garbage: [string, string][] = [
    ["empty", ""],
    ["prose mentioning SIP", "Our PBX sends INVITE sip:bob@example.com SIP/2.0 and then gets a 487.\nWhy?\n"],
    ["JSON", JSON.stringify({ calls: [{ callId: "a@b", cseq: "1 INVITE" }] }, null, 2)],
    ["CSV", "time,src,dst,method\n1.0,10.0.0.1,10.0.0.2,INVITE\n"],
    ["HTML", "<!doctype html><html><body><h1>SIP/2.0 200 OK</h1></body></html>"],
    ["binary junk", String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256))],
    ["a lone start line", "INVITE sip:a@b SIP/2.0\n"],
  ];
  for (const [what, text] of garbage) {
    it(`does not take ${what} for a trace`, () => {
      expect(detectTextFormat(text)).toBeNull();
    });
  }
});

describe.skipIf(!haveCorpus)("one-line summaries", () => {
  // Each names the command that exports the same trace with its messages.
  for (const [file, name, command] of [
    ["S1b_caller_hangup_via_kamailio_udp.tshark.txt", "tshark one-line summary", "tshark -r capture.pcapng -Y sip -w sip-only.pcapng"],
    ["S1b_caller_hangup_via_kamailio_udp.tshark-fields.tsv", "tshark -T fields", "tshark -r capture.pcapng -Y sip -V > sip.txt"],
    ["S1b_caller_hangup_via_kamailio_udp.sngrep-flow.txt", "sngrep call-flow screen", "sngrep -N -q -I capture.pcap -O sip-only.pcap"],
    ["../S8a_bulk_mixed_load_kamailio/sipp-answer-shortmessages.log.gz", "SIPp -trace_shortmsg", "tcpdump -i any -w sipp.pcap port 5060"],
  ] as const) {
    it(`${file.split("/").pop()} is reported as a summary, with no messages`, () => {
      const r = readText(corpusFile(file));
      expect(r.format).toBe(name);
      expect(r.messages).toEqual([]);
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatchObject({ where: "line 1", severity: "error" });
      expect(r.problems[0]!.message).toMatch(/summary.*does not contain them/);
      expect(r.problems[0]!.message).toContain(command);
    });
  }
});

it('a tshark one-line summary of SIP inside a tunnel (protocol column "GTP <SIP>") is a summary too', () => {
  // First lines of tshark -n -r arkime/gtp-iphone.pcap -Y sip (corpus-external).
  const text = [
    "   14   2.722020 fd00:183:1:1:1886:9040:8605:32b8 → fd01::183    GTP <SIP> 483 Request: REGISTER sip:310410010001002@ims.mnc410.mcc310.3gppnetwork.org  (1 binding) | ",
    "   16   3.021903    fd01::183 → fd00:183:1:1:1886:9040:8605:32b8 GTP <SIP> 813 Status: 401 Unauthorized | ",
    "",
  ].join("\n");
  const r = readText(text);
  expect(r.format).toBe("tshark one-line summary");
  expect(r.problems[0]!.message).toMatch(/summary.*does not contain them/);
});

describe("damaged input", () => {
  const call = readFileSync(join(fixtures, "plain-crlf.sip"), "utf8");

  it("reports a message cut in its body, at the line where it starts", () => {
    const cut = call.slice(0, call.indexOf("a=rtpmap:8"));
    const r = readText(cut);
    expect(r.messages).toHaveLength(1);
    expect(r.problems).toEqual([
      { where: "line 1", severity: "warning", message: expect.stringMatching(/^SIP message cut: the body has \d+ of the 186 bytes/) },
    ]);
  });

  it("reports a message cut in its headers after complete ones", () => {
    const lines = call.split("\r\n");
    const lastStart = lines.findLastIndex((l) => l.startsWith("ACK "));
    const r = readText(lines.slice(0, lastStart + 3).join("\r\n"));
    expect(r.messages.map((m) => startLine(m.text).split(" ")[0])).toEqual(["INVITE", "SIP/2.0", "SIP/2.0", "CANCEL", "SIP/2.0", "SIP/2.0", "ACK"]);
    expect(r.problems).toEqual([{ where: `line ${lastStart + 1}`, severity: "warning", message: expect.stringMatching(/inside the message headers/) }]);
  });

  it.skipIf(!haveCorpus)("reports a cut ngrep block with its line", () => {
    const text = new TextDecoder().decode(corpusFile("S1b_caller_hangup_via_kamailio_udp.ngrep.txt"));
    const cut = text.slice(0, text.lastIndexOf("Call-ID:"));
    const r = readText(cut);
    expect(r.messages).toHaveLength(14);
    const lastLine = cut.split("\n").findLastIndex((l) => /^(INVITE|SIP\/2\.0|ACK|BYE|CANCEL) /.test(l)) + 1;
    expect(r.problems).toEqual([
      { where: `line ${lastLine}`, severity: "warning", message: expect.stringMatching(/SIP message cut: the input ends inside the message headers/) },
    ]);
  });

  it("keeps multi-byte characters split across chunks", () => {
    const text = call.replace('"Alice"', '"Ålïce 日本"');
    const whole = readText(text, 1 << 20).messages.map((m) => m.text);
    expect(readText(text, 1).messages.map((m) => m.text)).toEqual(whole);
    expect(whole[0]).toContain('"Ålïce 日本"');
  });

  const junk = new Uint8Array(300_000).map((_, i) => (i * 2654435761) >>> 24);
  const withInvite = new TextEncoder().encode(`\n${call}\n`);
  for (const f of TEXT_FORMATS) {
    it(`${f.name}: binary junk, an endless line and empty input never throw`, () => {
      const seen: string[] = [];
      const sink = { message: (m: { text: string }) => seen.push(m.text), problem: () => undefined };
      for (const input of [junk, new Uint8Array(0), new Uint8Array(400_000).fill(0x41), withInvite]) {
        const ingestor = createTextIngestor({ format: f.id, name: f.name }, sink);
        for (let i = 0; i < input.length; i += 65536) ingestor.push(input.subarray(i, i + 65536));
        expect(() => ingestor.end()).not.toThrow();
      }
      expect(seen.every((t) => t.length <= 1024 * 1024 + 300_000)).toBe(true);
    });
  }
});
