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
 * UDP), the SIP start line is searched inside the header junk instead.
 */
import type { BlockMeta } from "../assembler.js";
import { parseDotEndpoint } from "../endpoint.js";
import { findEmbeddedSipStart } from "../sip-start.js";
import { TimeOfDayClock, parseYmdHms } from "../time.js";
import { PacketLineJoiner } from "../packet-lines.js";
import { countMatches, type TextFormat } from "./format.js";

const HEADER = /^(?:(\d{4}-\d\d-\d\d) )?(\d\d:\d\d:\d\d\.\d+) (IP6?) (\S+) > (\S+?): (.*)$/;
const LENGTH = /\blength (\d+)\b/;
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
  detect: (lines) => (countMatches(lines, HEADER, 1) > 0 ? 20 : 0),
  create(out) {
    const clock = new TimeOfDayClock();
    let seekingStart = false;
    let packet: Packet | null = null;

    const joiner = new PacketLineJoiner(out, (printed) => [printed, "\r\n"]); // tcpdump drops the CR of CRLF

    const finishPacket = () => {
      if (!packet) return;
      const { meta, length, lines, firstLine } = packet;
      packet = null;
      if (length === 0) return;
      const text = lines.join("\n");
      const { index, splitCrLf } = payloadStart(text, length);
      const payloadFirstLine = firstLine + text.slice(0, index).split("\n").length - 1;
      joiner.payload(meta, text.slice(index), payloadFirstLine, splitCrLf);
    };

    return {
      line(text, _eol, lineNo) {
        const h = HEADER.exec(text);
        if (h) {
          finishPacket();
          const time = h[1] ? parseYmdHms(`${h[1]} ${h[2]}`) : clock.read(h[2]!);
          const transport = /^Flags \[/.test(h[6]!) ? "tcp" : "udp";
          const meta: BlockMeta = { time, src: parseDotEndpoint(h[4]!), dst: parseDotEndpoint(h[5]!), transport };
          out.startBlock(meta, true);
          const length = LENGTH.exec(h[6]!);
          if (length) packet = { meta, length: Number(length[1]), lines: [], firstLine: lineNo + 1, chars: 0 };
          seekingStart = !length;
          return;
        }
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
        joiner.end();
        out.end();
      },
    };
  },
};
