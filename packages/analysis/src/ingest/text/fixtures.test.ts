/**
 * Formats with no corpus sample: SIPp -trace_msg (recorded with SIPp 3.6.1 on loopback), and
 * Asterisk pjsip / chan_sip, FreeSWITCH and Cisco logs plus plain pasted SIP, written by
 * test/fixtures/text/make-fixtures.py in each tool's layout around one cancelled call.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { header, readText, startLine } from "./test-support.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/text");
const fixture = (name: string) => readFileSync(join(fixtures, name));

const CALL = ["INVITE", "SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "CANCEL", "SIP/2.0 200 OK", "SIP/2.0 487 Request Terminated", "ACK"];
const DIRECTIONS = ["received", "sent", "sent", "received", "sent", "sent", "received"];
const PEER = { ip: "10.0.0.5", port: 5060 };
/** The call as plain CRLF text: the reference every other layout must reproduce. */
const reference = () => readText(fixture("plain-crlf.sip")).messages.map((m) => m.text);
const withoutCr = (s: string) => s.replace(/\r\n/g, "\n");

function expectCall(name: string, format: string) {
  const r = readText(fixture(name), 333);
  expect(r.format).toBe(format);
  expect(r.problems).toEqual([]);
  expect(r.messages.map((m) => startLine(m.text).split(" sip:")[0])).toEqual(CALL);
  expect(r.messages.every((m) => header(m.text, "Call-ID") === "a84b4c76e66710@10.0.0.5")).toBe(true);
  return r;
}

describe("plain SIP", () => {
  it("reads CRLF messages separated by blank lines", () => {
    const r = expectCall("plain-crlf.sip", "SIP messages (plain text)");
    const starts = fixture("plain-crlf.sip")
      .toString("utf8")
      .split("\r\n")
      .flatMap((l, i) => (/^(INVITE|CANCEL|ACK|SIP\/2\.0) /.test(l) ? [`line ${i + 1}`] : []));
    expect(r.messages.map((m) => m.where)).toEqual(starts);
    for (const m of r.messages) {
      expect(m).toMatchObject({ time: null, src: null, dst: null, transport: "unknown" });
      expect(m.text.endsWith("\r\n")).toBe(true);
    }
    expect(r.messages[0]!.text).toContain("a=sendrecv\r\n");
  });

  it("reads LF-only messages back to back, framing bodies by Content-Length", () => {
    const r = expectCall("plain-lf-tight.sip", "SIP messages (plain text)");
    expect(r.messages.map((m) => m.text)).toEqual(reference().map(withoutCr));
  });

  it("strips a syslog prefix learnt from the text and keeps its time; trailing spaces do not hide the blank line", () => {
    const r = expectCall("plain-syslog-prefixed.txt", "SIP messages (plain text)");
    expect(r.messages.map((m) => m.text)).toEqual(reference().map(withoutCr));
    const t0 = r.messages[0]!.time!;
    expect(r.messages.map((m) => m.time! - t0)).toEqual([0, 0, 0, 4, 4, 4, 4]);
  });

  it("accepts Windows line ends around LF-only bodies and a trailing message without Content-Length", () => {
    const text = "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x1\r\nCSeq: 1 OPTIONS\r\n\r\nSIP/2.0 200 OK\nCall-ID: x1\nCSeq: 1 OPTIONS\n\n\n\n";
    const r = readText(text);
    expect(r.messages.map((m) => m.text)).toEqual([
      "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x1\r\nCSeq: 1 OPTIONS\r\n\r\n",
      "SIP/2.0 200 OK\nCall-ID: x1\nCSeq: 1 OPTIONS\n\n",
    ]);
    expect(r.messages.map((m) => m.where)).toEqual(["line 1", "line 5"]);
  });

  it("counts Content-Length in UTF-8 bytes, so a body with multi-byte text ends where declared", () => {
    const body = "Grüße 日本 🎉\r\n";
    const size = new TextEncoder().encode(body).length;
    const text = `MESSAGE sip:a@b SIP/2.0\r\nCall-ID: u1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: ${size}\r\n\r\n${body}trailing junk\r\n`;
    const r = readText(text);
    expect(r.messages.map((m) => m.text)).toEqual([text.slice(0, text.indexOf("trailing"))]);
    expect(r.problems).toEqual([]);
  });

  it("does not take a start line quoted in a header for a log prefix", () => {
    const text = withoutCr(reference()[0]!).replace("Max-Forwards: 70", "Subject: retry of INVITE sip:2002@10.0.0.1 SIP/2.0");
    const r = readText(text);
    expect(r.messages.map((m) => m.text)).toEqual([text]);
  });

  it("keeps a message/sipfrag body that itself starts like a SIP message", () => {
    const frag = "SIP/2.0 200 OK\r\n";
    const text = `NOTIFY sip:a@b SIP/2.0\r\nCall-ID: n1\r\nCSeq: 2 NOTIFY\r\nContent-Type: message/sipfrag;version=2.0\r\nContent-Length: ${frag.length}\r\n\r\n${frag}BYE sip:a@b SIP/2.0\r\nCall-ID: n1\r\nCSeq: 3 BYE\r\nContent-Length: 0\r\n\r\n`;
    const r = readText(text);
    expect(r.messages.map((m) => startLine(m.text))).toEqual(["NOTIFY sip:a@b SIP/2.0", "BYE sip:a@b SIP/2.0"]);
    expect(r.messages[0]!.text.endsWith(`\r\n\r\n${frag}`)).toBe(true);
  });
});

describe("SIPp -trace_msg", () => {
  for (const [name, transport] of [
    ["sipp-uac-messages.log", "udp"],
    ["sipp-uas-messages.log", "udp"],
    ["sipp-tcp-uac-messages.log", "tcp"],
  ] as const) {
    it(`${name}: every message has the size SIPp logged, its time and direction`, () => {
      const raw = fixture(name);
      const logged = [...raw.toString("utf8").matchAll(/^\w+ message (sent|received) [([](\d+)(?:\] bytes| bytes\))/gm)];
      const stamps = [...raw.toString("utf8").matchAll(/^-+ (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d\.\d+)$/gm)];
      const r = readText(raw, 100);
      expect(r.format).toBe("SIPp -trace_msg");
      expect(r.problems).toEqual([]);
      expect(r.messages).toHaveLength(logged.length);
      expect(logged.length).toBe(6);
      r.messages.forEach((m, i) => {
        expect(new TextEncoder().encode(m.text).length).toBe(Number(logged[i]![2]));
        expect(m.direction).toBe(logged[i]![1]);
        expect(m).toMatchObject({ src: null, dst: null, transport });
        const [, y, mo, d, h, mi, s] = stamps[i]!;
        expect(m.time).toBeCloseTo(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!) / 1000 + Number(s), 5);
      });
    });
  }
});

describe("single-endpoint logs", () => {
  it("Asterisk pjsip set logger: CRLF kept, peer address, direction and log time", () => {
    const r = expectCall("asterisk-pjsip-logger.txt", "Asterisk pjsip set logger");
    expect(r.messages.map((m) => m.text)).toEqual(reference());
    expect(r.messages.map((m) => m.direction)).toEqual(DIRECTIONS);
    r.messages.forEach((m) => {
      expect(m.transport).toBe("udp");
      if (m.direction === "received") expect([m.src, m.dst]).toEqual([PEER, null]);
      else expect([m.src, m.dst]).toEqual([null, PEER]);
    });
    expect(r.messages[0]!.time).toBe(Date.UTC(1970, 10, 26, 3, 44, 37) / 1000);
    expect(r.messages[3]!.time! - r.messages[0]!.time!).toBe(4);
  });

  it("Asterisk chan_sip sip set debug: read / transmitted blocks", () => {
    const r = expectCall("asterisk-chan-sip-debug.txt", "Asterisk chan_sip sip set debug");
    expect(r.messages.map((m) => m.text)).toEqual(reference().map(withoutCr));
    expect(r.messages.map((m) => m.direction)).toEqual(DIRECTIONS);
    expect(r.messages[0]).toMatchObject({ src: PEER, dst: null, transport: "udp", time: null });
    expect(r.messages[1]).toMatchObject({ src: null, dst: PEER, transport: "unknown" });
  });

  it("FreeSWITCH sofia siptrace: indentation removed, time of day kept relative", () => {
    const r = expectCall("freeswitch-siptrace.txt", "FreeSWITCH sofia siptrace");
    expect(r.messages.map((m) => m.text)).toEqual(reference().map(withoutCr));
    expect(r.messages.map((m) => m.direction)).toEqual(DIRECTIONS);
    expect(r.messages[0]).toMatchObject({ src: PEER, dst: null, transport: "udp" });
    expect(r.messages[0]!.time).toBeCloseTo(3 * 3600 + 44 * 60 + 37.245123, 6);
    expect(r.messages[6]!.time! - r.messages[0]!.time!).toBeCloseTo(3.925, 6);
  });

  it("FreeSWITCH stamps with an IPv6 flow label and sigcomp, and a truncation note", () => {
    const [invite] = reference().map(withoutCr);
    const body = invite!
      .slice(0, -1)
      .split("\n")
      .map((l) => `   ${l}\n`)
      .join("");
    const rule = `   ${"-".repeat(72)}\n`;
    const log = `send 525 bytes to udp/[2001:db8::5]:5060/7;comp=sigcomp at 23:59:59.900000:\n${rule}${body}${rule}   *** message truncated at 2047 ***\n`;
    const r = readText(log);
    expect(r.format).toBe("FreeSWITCH sofia siptrace");
    expect(r.messages.map((m) => [m.text, m.dst, m.direction])).toEqual([[invite, { ip: "2001:db8::5", port: 5060 }, "sent"]]);
  });

  it("Cisco debug ccsip messages: Sent/Received, syslog time", () => {
    const r = expectCall("cisco-ccsip-messages.txt", "Cisco debug ccsip messages");
    expect(r.messages.map((m) => m.text)).toEqual(reference().map(withoutCr));
    expect(r.messages.map((m) => m.direction)).toEqual(DIRECTIONS);
    expect(r.messages.every((m) => m.src === null && m.dst === null)).toBe(true);
    expect(r.messages[2]!.time! - r.messages[0]!.time!).toBeCloseTo(0.056, 6);
  });
});

describe("tshark -V with the frame tree expanded", () => {
  // tshark -n -r S9b_caller_hangup_via_kamailio_tcp.pcapng -Y sip -V (tshark 4.0.17)
  const text = new TextDecoder().decode(gunzipSync(new Uint8Array(fixture("tshark-V-full-tcp.txt.gz"))));

  it("takes each message's time from its frame, addresses and transport from IP/TCP", () => {
    const r = readText(text, 777);
    expect(r.format).toBe("tshark -V");
    expect(r.problems).toEqual([]);
    const epochs = [...text.matchAll(/^ {4}Epoch Time: (\d+\.\d+) seconds$/gm)].map((m) => Number(m[1]));
    expect(r.messages).toHaveLength(14);
    expect(r.messages.map((m) => m.time)).toEqual(epochs);
    expect(r.messages.every((m) => m.transport === "tcp")).toBe(true);
    expect(r.messages[2]).toMatchObject({ src: { ip: "127.0.92.1", port: 42831 }, dst: { ip: "127.0.92.21", port: 5060 } });
    for (const m of r.messages) {
      const declared = Number(header(m.text, "Content-Length"));
      expect(new TextEncoder().encode(m.text.slice(m.text.indexOf("\r\n\r\n") + 4)).length).toBe(declared);
    }
  });
});

describe("layout variants", () => {
  it("Cisco output that lost the blank line before the SDP body (as on web pages) is repaired, with a warning", () => {
    const cisco = fixture("cisco-ccsip-messages.txt").toString("utf8").replace("Content-Length: 186\n\nv=0", "Content-Length: 186\nv=0");
    const r = readText(cisco);
    expect(r.messages.map((m) => m.text)).toEqual(reference().map(withoutCr));
    expect(r.problems).toEqual([
      { where: "line 3", severity: "warning", message: "SIP message repaired: no blank line between headers and body; one was assumed before line 13" },
    ]);
  });

  it("Asterisk console captures with the timestamp on every line", () => {
    for (const [file, name] of [
      ["asterisk-chan-sip-debug.txt", "Asterisk chan_sip sip set debug"],
      ["asterisk-pjsip-logger.txt", "Asterisk pjsip set logger"],
    ] as const) {
      const stamped = fixture(file)
        .toString("utf8")
        .split("\n")
        .map((l) => l.replace(/^(?:\[[^\]]+\] )?/, "[Nov 26 03:44:37] "))
        .join("\n");
      const r = readText(stamped);
      expect(r.format).toBe(name);
      expect(r.problems).toEqual([]);
      expect(r.messages.map((m) => withoutCr(m.text))).toEqual(reference().map(withoutCr));
      expect(r.messages.map((m) => m.direction)).toEqual(DIRECTIONS);
    }
  });

  it("chan_sip of Asterisk 1.4 ('Reliably Transmitting (NAT) to …:' closed by '---')", () => {
    const [invite, trying] = reference().map(withoutCr);
    const log = `Reliably Transmitting (NAT) to 10.0.0.5:5060:\n${invite}\n---\n\n<--- SIP read from UDP:10.0.0.5:5060 --->\n${trying}<------------->\n`;
    const r = readText(log);
    expect(r.format).toBe("Asterisk chan_sip sip set debug");
    expect(r.messages.map((m) => [m.text, m.direction, m.src, m.dst])).toEqual([
      [invite, "sent", null, PEER],
      [trying, "received", PEER, null],
    ]);
  });
});

describe("SIP over TCP split across segments (tcp-segmented.pcap through the real tools)", () => {
  const tcp = () =>
    reference()
      .slice(0, 3)
      .map((t) => t.replace(/UDP/g, "TCP"));

  it("tcpdump -A: segments joined per flow by their payload lengths", () => {
    const r = readText(fixture("tcpdump-A-tcp-segmented.txt"), 200);
    expect(r.format).toBe("tcpdump -A");
    expect(r.problems).toEqual([]);
    expect(r.messages.map((m) => m.text)).toEqual(tcp());
    const invite = r.messages.find((m) => m.text.startsWith("INVITE"))!;
    expect(invite).toMatchObject({ src: { ip: "10.0.0.5", port: 45000 }, dst: { ip: "10.0.0.1", port: 5060 }, transport: "tcp" });
    expect(invite.time).toBeCloseTo(3 * 3600 + 44 * 60 + 37.001, 6); // the segment where it starts
    expect(invite.where).toBe("line 16"); // after the IP/TCP header junk of the first segment
  });

  it("ngrep -W byline: a line cut by the segment end is joined with the next segment of its flow", () => {
    const r = readText(fixture("ngrep-tcp-segmented.txt"), 150);
    expect(r.format).toBe("ngrep -W byline");
    expect(r.problems).toEqual([]);
    expect(r.messages.map((m) => m.text)).toEqual(tcp());
    expect(r.messages.map((m) => m.time)).toEqual([1795664677.001, 1795664677.01, 1795664677.01]);
    expect(r.messages.map((m) => m.where)).toEqual(["line 5", "line 35", "line 44"]);
  });

  it("tshark -V: one message per reassembled SIP section, two in one frame", () => {
    const r = readText(fixture("tshark-V-tcp-segmented.txt"));
    expect(r.problems).toEqual([]);
    expect(r.messages.map((m) => m.text)).toEqual(tcp());
    expect(r.messages.map((m) => m.time)).toEqual([1795664677.0012, 1795664677.01, 1795664677.01]);
    expect(r.messages[1]).toMatchObject({ src: { ip: "10.0.0.1", port: 5060 }, dst: { ip: "10.0.0.5", port: 45000 } });
  });
});
