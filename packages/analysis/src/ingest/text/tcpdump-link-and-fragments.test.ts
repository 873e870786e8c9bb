/**
 * tcpdump text of field captures (../corpus-external) in the layouts a user may bring, made with
 * tcpdump 4.99.3 into test/fixtures/text/:
 *   tcpdump -nn {-A | -e -A} -c 6 -r sipnab/DTMFsipinfo.pcap 'pppoes and udp port 5060' → tcpdump-{A,eA}-pppoe.txt
 *   tcpdump -nn -X -c 3 -r sipnab/DTMFsipinfo.pcap 'pppoes and udp port 5060'           → tcpdump-X-pppoe.txt
 *   tcpdump -nn -v -A -c 4 -r sipnab/DTMFsipinfo.pcap 'pppoes and udp port 5060'        → tcpdump-vA-pppoe.txt
 *   tcpdump -nn {-A | -X} -c 3 -r sngrep/ipv6frag.pcap                                  → tcpdump-{A,X}-ipv6-fragments.txt
 *   editcap -r sngrep/ipv6frag.pcap no-first.pcap 2-3; editcap -r … no-rest.pcap 1 3;
 *   tcpdump -nn -A of each, concatenated                                                 → tcpdump-A-ipv6-fragments-missing.txt
 *   tcpdump -nn -A -c 5 -r test/fixtures/capture/frag-udp4.pcap                          → tcpdump-A-ipv4-fragments.txt
 *   editcap -r test/fixtures/capture/sll2-any.pcapng sll2-tail.pcapng 5-9;
 *   tcpdump -nn {-A | -e -A} -r sll2-tail.pcapng                                        → tcpdump-{A,eA}-sll2.txt
 * and with ngrep 1.47.1 (ngrep -q -t -W byline -I X): editcap -r sngrep/ipv6frag.pcap first3.pcap 1-3
 *   → ngrep-ipv6-fragments.txt; no-first.pcap → ngrep-ipv6-fragments-missing.txt
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readText, startLine } from "./test-support.js";
import { EXTERNAL_CORPUS } from "../../../test/corpus.js";
import { readCapture } from "../../../test/fixtures/capture/support.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/text");
const fixture = (name: string) => readFileSync(join(fixtures, name));
const external = (path: string) => new Uint8Array(readFileSync(`${EXTERNAL_CORPUS}/${path}`));
/** tcpdump drops the CR of CRLF in -A: compare texts with LF line ends. */
const lf = (s: string) => s.replace(/\r\n/g, "\n");
const secondsOfDay = (h: number, m: number, s: number) => h * 3600 + m * 60 + s;

describe("tcpdump on a PPPoE session (DTMFsipinfo.pcap): the summary's link prefix is read, not the SIP guessed", () => {
  const a = readText(fixture("tcpdump-A-pppoe.txt"), 500);
  const e = readText(fixture("tcpdump-eA-pppoe.txt"), 500);
  const x = readText(fixture("tcpdump-X-pppoe.txt"), 500);

  it("-A: addresses, ports and times from the 'PPPoE [ses …] IP …' lines", () => {
    expect(a.format).toBe("tcpdump -A");
    expect(a.problems).toEqual([]);
    expect(a.messages.map((m) => startLine(m.text))).toEqual([
      "INVITE sip:echo@iptel.org SIP/2.0",
      "INVITE sip:echo@iptel.org SIP/2.0",
      "SIP/2.0 100 trying -- your call is important to us",
      "SIP/2.0 200 OK",
      "INVITE sip:echo@iptel.org SIP/2.0",
      "CANCEL sip:echo@iptel.org SIP/2.0",
    ]);
    expect(a.messages.map((m) => `${m.src?.ip}:${m.src?.port}>${m.dst?.ip}:${m.dst?.port}`)).toEqual([
      "178.45.73.241:5060>213.192.59.75:5060",
      "178.45.73.241:1032>213.192.59.75:5060",
      "213.192.59.75:5060>178.45.73.241:5060",
      "213.192.59.75:5060>178.45.73.241:5060",
      "178.45.73.241:1033>213.192.59.75:5060",
      "178.45.73.241:1032>213.192.59.75:5060",
    ]);
    expect(a.messages.every((m) => m.transport === "udp")).toBe(true);
    expect(a.messages[0]!.time! % 86400).toBeCloseTo(secondsOfDay(8, 14, 29.846846), 6);
  });

  it("-e -A (link header first, no 'IP' keyword) and -X (hex dump) give the same messages", () => {
    expect(e.problems).toEqual([]);
    expect(e.messages).toEqual(a.messages.map((m, i) => ({ ...m, where: e.messages[i]!.where })));
    expect(x.problems).toEqual([]);
    // The hex dump has the exact bytes, CRs included; -A shows each CRLF as a line break.
    expect(x.messages.map((m) => lf(m.text))).toEqual(a.messages.slice(0, 3).map((m) => lf(m.text)));
    expect(x.messages[0]!.text).toMatch(/^INVITE sip:echo@iptel\.org SIP\/2\.0\r\nDate: /);
    expect(x.messages.map((m) => [m.src, m.dst, m.time])).toEqual(a.messages.slice(0, 3).map((m) => [m.src, m.dst, m.time]));
  });

  it("-v -A: the 200 OK's SDP ends in a bare LF, so counting its length from the end (LF = CRLF) misses by one; its start line is found instead", () => {
    const v = readText(fixture("tcpdump-vA-pppoe.txt"), 500);
    expect(v.problems).toEqual([]);
    expect(v.messages.map((m) => lf(m.text))).toEqual(a.messages.slice(0, 4).map((m) => lf(m.text)));
    expect(v.messages[3]!.text).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(v.messages.map((m) => [m.src, m.dst, m.time])).toEqual(a.messages.slice(0, 4).map((m) => [m.src, m.dst, m.time]));
  });

  it.runIf(EXTERNAL_CORPUS !== null)("the same SIP text as the capture reader finds in the pcap", () => {
    const pcap = readCapture(external("sipnab/DTMFsipinfo.pcap")).messages.slice(0, 6);
    expect(a.messages.map((m) => lf(m.text))).toEqual(pcap.map((m) => lf(m.text)));
    expect(a.messages.map((m) => [m.src, m.dst])).toEqual(pcap.map((m) => [m.src, m.dst]));
    a.messages.forEach((m, i) => expect(m.time! % 86400).toBeCloseTo(pcap[i]!.time! % 86400, 6));
  });
});

describe("tcpdump on fragmented IPv6 (ipv6frag.pcap): fragments put back together by offset", () => {
  it.each([["tcpdump-A-ipv6-fragments.txt"], ["tcpdump-X-ipv6-fragments.txt"]])(
    "%s: the 1691-byte INVITE from its two fragments, then the 100 Trying",
    (name) => {
      const r = readText(fixture(name), 300);
      expect(r.problems).toEqual([]);
      expect(r.messages.map((m) => startLine(m.text))).toEqual([
        "INVITE sip:08019200028@[fd17:625c:f037:2:a00:27ff:feb9:4222]:25060 SIP/2.0",
        "SIP/2.0 100 Trying",
      ]);
      const [invite] = r.messages;
      expect(invite!.src).toEqual({ ip: "fd17:625c:f037:2:a00:27ff:feb9:1521", port: 15060 });
      expect(invite!.dst).toEqual({ ip: "fd17:625c:f037:2:a00:27ff:feb9:3519", port: 5062 });
      // Seen when the last fragment completes it, as the capture reader and tshark see it.
      expect(invite!.time! % 86400).toBeCloseTo(secondsOfDay(5, 20, 26.047912), 6);
      // Content-Length 655 (with the 3 spaces SIPp writes): the body ends exactly where the second fragment does.
      expect(invite!.text).toMatch(/Content-Length: {3}655\r?\n\r?\nv=0[\s\S]*a=curr:qos remote none\r?\n$/);
      expect(new TextEncoder().encode(invite!.text.replace(/\r?\n/g, "\r\n")).length).toBe(1691);
    },
  );

  it.runIf(EXTERNAL_CORPUS !== null)("the INVITE is the capture reader's, byte for byte (CRLF aside)", () => {
    const pcap = readCapture(external("sngrep/ipv6frag.pcap")).messages[0]!;
    expect(lf(readText(fixture("tcpdump-A-ipv6-fragments.txt")).messages[0]!.text)).toBe(lf(pcap.text));
  });

  it("a fragment whose partner is not in the text: one specific problem per lost datagram, the rest still read", () => {
    const r = readText(fixture("tcpdump-A-ipv6-fragments-missing.txt"), 300);
    expect(r.messages.map((m) => startLine(m.text))).toEqual(["SIP/2.0 100 Trying", "SIP/2.0 100 Trying"]);
    const pair = "fd17:625c:f037:2:a00:27ff:feb9:1521 > fd17:625c:f037:2:a00:27ff:feb9:3519";
    expect(r.problems).toEqual([
      {
        where: "line 1",
        severity: "warning",
        message: `IPv6 fragment ${pair} at offset 1448 (251 bytes) not reassembled in text form (the first fragment is not in the text); its bytes were left out`,
      },
      {
        where: "line 26",
        severity: "warning",
        message: `IPv6 fragment ${pair} at offset 0 (1448 bytes) not reassembled in text form (1448 of 1699 bytes; the rest is not in the text); the SIP message in it was left out`,
      },
    ]);
  });
});

describe("ngrep on fragmented IPv6: 'ID@offset:bytes' fragments joined", () => {
  it("the INVITE from its two fragments is the tcpdump one, with ngrep's date", () => {
    const r = readText(fixture("ngrep-ipv6-fragments.txt"), 300);
    expect(r.problems).toEqual([]);
    const fromTcpdump = readText(fixture("tcpdump-A-ipv6-fragments.txt")).messages;
    expect(r.messages.map((m) => lf(m.text))).toEqual(fromTcpdump.map((m) => lf(m.text)));
    expect(r.messages.map((m) => [m.src, m.dst])).toEqual(fromTcpdump.map((m) => [m.src, m.dst]));
    expect(r.messages[0]!.time).toBeCloseTo(Date.UTC(2022, 2, 22, 5, 20, 26) / 1000 + 0.047912, 6);
  });

  it("a next fragment without its first: a specific problem, the following packet still read", () => {
    const r = readText(fixture("ngrep-ipv6-fragments-missing.txt"), 300);
    expect(r.messages.map((m) => startLine(m.text))).toEqual(["SIP/2.0 100 Trying"]);
    expect(r.problems).toEqual([
      {
        where: "line 4",
        severity: "warning",
        message:
          "IP fragment fd17:625c:f037:2:a00:27ff:feb9:1521 > fd17:625c:f037:2:a00:27ff:feb9:3519 at offset 1448 (251 bytes) not reassembled in text form (the first fragment is not in the text); its bytes were left out",
      },
    ]);
  });
});

it("tcpdump -A on fragmented IPv4: the fragments tcpdump shows only as ip-proto-17 are reported, not passed over", () => {
  const r = readText(fixture("tcpdump-A-ipv4-fragments.txt"));
  expect(r.messages.map((m) => startLine(m.text))).toEqual(["INVITE sip:service@127.0.0.1:5060 SIP/2.0", "SIP/2.0 180 Ringing"]);
  expect(r.problems).toContainEqual({
    where: "line 28",
    severity: "warning",
    message:
      '3 IPv4 fragments after the first ("ip-proto-17") not reassembled in text form; a SIP message continued in them is cut (read the capture file instead)',
  });
});

it("tcpdump of a Linux 'any' capture (SLL2): 'lo    In  IP …' and, with -e, 'lo    In  ifindex 1 … ethertype IPv4'", () => {
  const plain = readText(fixture("tcpdump-A-sll2.txt"));
  const e = readText(fixture("tcpdump-eA-sll2.txt"));
  expect(plain.problems).toEqual([]);
  expect(plain.messages.map((m) => `${startLine(m.text).slice(0, 14)} ${m.src?.ip}:${m.src?.port}>${m.dst?.port}`)).toEqual([
    "SIP/2.0 180 Ri 127.0.0.1:5060>5070",
    "SIP/2.0 200 OK 127.0.0.1:5060>5070",
    "ACK sip:servic 127.0.0.1:5070>5060",
    "BYE sip:servic 127.0.0.1:5070>5060",
    "SIP/2.0 200 OK 127.0.0.1:5060>5070",
  ]);
  expect(plain.messages[0]!.time! % 86400).toBeCloseTo(secondsOfDay(4, 27, 15.299089), 6);
  expect(e.problems).toEqual([]);
  expect(e.messages.map((m) => [m.text, m.src, m.dst, m.time])).toEqual(plain.messages.map((m) => [m.text, m.src, m.dst, m.time]));
});
