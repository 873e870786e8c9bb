/**
 * `tcpdump -A`: a summary line per packet
 *   "03:44:37.245745 IP 127.0.12.10.5060 > 127.0.12.1.5060: SIP: INVITE sip:… SIP/2.0"
 * (IP6 for IPv6, "Flags [P.], seq 1:201, ack 1, …, length 200" for TCP, a date first with -tttt),
 * then the packet from the IP header on, one character per byte: header bytes print as dots and
 * junk (a 0x0a among them breaks the line), a CR before an LF is not printed, and one newline
 * ends the packet. Times are a time of day (see time.ts) unless -tttt added the date.
 *
 * When the summary gives the payload length, the payload is the last `length` bytes of the packet
 * (each printed LF standing for CRLF): TCP segments are joined per flow, so a message split across
 * segments, or several in one segment, come out whole. Without a length (tcpdump's SIP decoder on
 * UDP), the SIP start line is searched inside the header junk instead. With -v, IP details come
 * before the addresses (IPv4: on a line of their own) and tcpdump's own SIP decoding, tab-indented,
 * precedes the dump — or is all there is without -A.
 */
import type { BlockMeta } from "../assembler.js";
import { parseDotEndpoint } from "../endpoint.js";
import { findEmbeddedSipStart } from "../sip-start.js";
import { TimeOfDayClock, parseYmdHms } from "../time.js";
import { PacketLineJoiner } from "../packet-lines.js";
import { countMatches, type TextFormat } from "./format.js";

// With -v an IP details group comes first: on the same line (IPv6) or on a line of its own (IPv4),
// the addresses following on the next, indented line.
const IP_DETAILS = String.raw`\((?:[^()]|\([^()]*\))*\)`;
const STAMP = String.raw`^(?:(\d{4}-\d\d-\d\d) )?(\d\d:\d\d:\d\d\.\d+) (IP6?) `;
const HEADER = new RegExp(`${STAMP}(?:${IP_DETAILS} )?(\\S+) > (\\S+?): (.*)$`);
const VERBOSE_FIRST = new RegExp(`${STAMP}${IP_DETAILS}$`);
const VERBOSE_SECOND = /^\s+(\S+) > (\S+?): (.*)$/;
const LENGTH = /\blength:? (\d+)\b/;
/** A packet is at most 64 KiB; more text than this without a summary line is not a packet. */
const MAX_PACKET_CHARS = 200 * 1024;

interface Packet {
  meta: BlockMeta;
  /** Payload bytes announced by the summary line, when it gives them. */
  length: number;
  lines: string[];
  /** Input line of lines[0]. */
  firstLine: number;
  chars: number;
}

/**
 * Where in the packet text its last `length` bytes begin (each printed LF standing for CRLF).
 * `splitCrLf`: the payload begins with the LF of a CRLF whose CR ended the previous segment.
 */
function payloadStart(text: string, length: number): { index: number; splitCrLf: boolean } {
  let bytes = 0;
  let i = text.length;
  while (i > 0 && bytes < length) {
    i--;
    bytes += text.charCodeAt(i) === 0x0a ? 2 : 1;
  }
  return { index: i, splitCrLf: bytes > length };
}

export const tcpdump: TextFormat = {
  id: "tcpdump",
  name: "tcpdump -A",
  detect: (lines) => (countMatches(lines, HEADER, 1) > 0 || countMatches(lines, VERBOSE_FIRST, 1) > 0 ? 20 : 0),
  create(out) {
    const clock = new TimeOfDayClock();
    let seekingStart = false;
    /** Packets with a payload that tcpdump did not print (no -A, and not decoded as SIP), and with one. */
    let unprinted = 0;
    let printed = 0;
    /** Date and time of a -v first line, waiting for the addresses on the next line. */
    let verboseStamp: [string | undefined, string] | null = null;
    let packet: Packet | null = null;

    const joiner = new PacketLineJoiner(out, (printed) => [printed, "\r\n"]); // tcpdump drops the CR of CRLF

    const finishPacket = () => {
      if (!packet) return;
      const { meta, length, lines, firstLine } = packet;
      packet = null;
      if (length === 0) return;
      if (lines.length === 0) {
        unprinted++;
        return;
      }
      printed++;
      if (lines.every((l) => l.startsWith("\t"))) {
        // -v without -A: only tcpdump's own SIP decoding, "\t" + each CRLF-terminated payload line.
        joiner.payload(meta, lines.map((l) => `${l.slice(1)}\n`).join(""), firstLine);
        return;
      }
      const text = lines.join("\n");
      const { index, splitCrLf } = payloadStart(text, length);
      const payloadFirstLine = firstLine + text.slice(0, index).split("\n").length - 1;
      joiner.payload(meta, text.slice(index), payloadFirstLine, splitCrLf);
    };

    return {
      line(text, _eol, lineNo) {
        const first = VERBOSE_FIRST.exec(text);
        if (first) {
          finishPacket();
          verboseStamp = [first[1], first[2]!];
          return;
        }
        const second = verboseStamp ? VERBOSE_SECOND.exec(text) : null;
        const h = second ? null : HEADER.exec(text);
        if (h || second) {
          finishPacket();
          const [date, tod] = second ? verboseStamp! : [h![1], h![2]!];
          const [src, dst, rest] = second ? [second[1]!, second[2]!, second[3]!] : [h![4]!, h![5]!, h![6]!];
          verboseStamp = null;
          const time = date ? parseYmdHms(`${date} ${tod}`) : clock.read(tod);
          const transport = /^Flags \[/.test(rest) ? "tcp" : "udp";
          const meta: BlockMeta = { time, src: parseDotEndpoint(src), dst: parseDotEndpoint(dst), transport };
          out.startBlock(meta, true);
          const length = LENGTH.exec(rest);
          if (length) packet = { meta, length: Number(length[1]), lines: [], firstLine: lineNo + 1, chars: 0 };
          seekingStart = !length;
          return;
        }
        verboseStamp = null;
        if (packet) {
          packet.lines.push(text);
          packet.chars += text.length + 1;
          if (packet.chars > MAX_PACKET_CHARS) {
            out.problem(`line ${packet.firstLine}`, `tcpdump packet text longer than ${MAX_PACKET_CHARS} characters; skipped`);
            packet = null;
          }
          return;
        }
        if (seekingStart) {
          const at = findEmbeddedSipStart(text);
          if (at < 0) return; // header junk
          seekingStart = false;
          out.line(text.slice(at), "\r\n", lineNo);
          return;
        }
        out.line(text, "\r\n", lineNo);
      },
      end() {
        finishPacket();
        if (unprinted > 0 && printed === 0) {
          out.problem("line 1", `${unprinted} packets carry a payload that tcpdump did not print; run tcpdump with -A to include the SIP text`);
        }
        joiner.end();
        out.end();
      },
    };
  },
};
