/** The same traces as people actually paste them: other options, other line ends. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readText } from "./test-support.js";
import { haveCorpus, traceText } from "../../../test/corpus.js";

const here = dirname(fileURLToPath(import.meta.url));
const corpus = (suffix: string) => traceText("S1b_caller_hangup_via_kamailio_udp", suffix);
const toCrlf = (s: string) => s.replace(/\n/g, "\r\n");

describe.skipIf(!haveCorpus)("variants of corpus text forms", () => {
  it("ngrep without -t: no times, everything else the same", () => {
    const original = readText(corpus("ngrep.txt")).messages;
    const r = readText(corpus("ngrep.txt").replace(/^([UT]) \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d+ /gm, "$1 "));
    expect(r.format).toBe("ngrep -W byline");
    expect(r.messages.map((m) => m.time)).toEqual(original.map(() => null));
    expect(r.messages.map((m) => [m.text, m.src, m.dst])).toEqual(original.map((m) => [m.text, m.src, m.dst]));
  });

  it("tcpdump -tttt: the date makes times absolute", () => {
    const withDate = corpus("tcpdump-A.txt").replace(/^(\d\d:\d\d:\d\d\.\d+ IP)/gm, "2026-11-26 $1");
    const ngrep = readText(corpus("ngrep.txt")).messages;
    const r = readText(withDate);
    expect(r.messages.map((m) => m.time)).toEqual(ngrep.map((m) => m.time));
    expect(r.messages.map((m) => m.text)).toEqual(ngrep.map((m) => m.text));
  });

  for (const suffix of ["sngrep.txt", "ngrep.txt", "tcpdump-A.txt", "tshark-V.txt"]) {
    it(`${suffix} saved with Windows line ends reads the same`, () => {
      const original = readText(corpus(suffix));
      const r = readText(toCrlf(corpus(suffix)), 1500);
      expect(r.format).toBe(original.format);
      expect(r.problems).toEqual([]);
      expect(r.messages).toEqual(original.messages);
    });
  }
});

describe.skipIf(!haveCorpus)("tcpdump -v (fixtures made with tcpdump 4.99 from corpus captures)", () => {
  const fixtures = join(here, "../../../test/fixtures/text");
  const fixture = (name: string) => new TextDecoder().decode(gunzipSync(new Uint8Array(readFileSync(join(fixtures, name)))));
  const view = (m: { text: string; src: unknown; dst: unknown; transport: string }) => [m.text, m.src, m.dst, m.transport];
  const scenario = traceText;

  it("-v -A over IPv6/TCP: IP details before the addresses, payload from the dump", () => {
    const id = "S9d_caller_hangup_via_kamailio_ipv6_tcp";
    const plain = readText(scenario(id, "tcpdump-A.txt")).messages;
    const r = readText(fixture("tcpdump-vA-S9d-ipv6-tcp.txt.gz"));
    expect(r.problems).toEqual([]);
    expect(r.messages).toHaveLength(14);
    expect(r.messages.map(view)).toEqual(plain.map(view));
    expect(r.messages.map((m) => m.time)).toEqual(plain.map((m) => m.time));
  });

  it("-v without -A over UDP: tcpdump's own SIP decoding is the payload", () => {
    const id = "S1b_caller_hangup_via_kamailio_udp";
    const plain = readText(scenario(id, "tcpdump-A.txt")).messages;
    const r = readText(fixture("tcpdump-v-S1b-udp.txt.gz"));
    expect(r.problems).toEqual([]);
    expect(r.messages.map(view)).toEqual(plain.map(view));
  });

  it("-v without -A over TCP prints no payload: says so instead of finding nothing", () => {
    const r = readText(fixture("tcpdump-v-S9b-tcp.txt.gz"));
    expect(r.format).toBe("tcpdump -A");
    expect(r.messages).toEqual([]);
    expect(r.problems).toEqual([
      { where: "line 1", severity: "warning", message: expect.stringMatching(/^\d+ packets carry a payload that tcpdump did not print; run tcpdump with -A/) },
    ]);
  });
});
