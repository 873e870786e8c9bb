/**
 * ngrep `-W byline` and sipgrep: a header per packet
 *   "U 2026/11/26 03:44:37.245745 127.0.12.10:5060 -> 127.0.12.1:5060 #1"   (T = TCP, [AP] flags)
 * (sipgrep prints the flags, or nothing, on a line of their own after it), then the payload, one
 * line per LF, with every non-printable byte — the CR of each CRLF — shown as "."; a newline ends
 * the payload and another one precedes the next header. The trailing dot is turned back into CRLF;
 * TCP payloads are joined per flow, so lines and messages split across segments come out whole.
 * An IP fragment has "ID@offset:bytes" before the "#n" ("2959374208@0:1440" for the first, with the
 * ports; "+2959374208@1448:251" for the next, without): fragments with the same addresses and ID
 * are put back together in order, and a fragment whose predecessor is not in the text is reported.
 */
import type { BlockMeta, MessageAssembler } from "../assembler.js";
import { parseColonEndpoint } from "../endpoint.js";
import { PacketLineJoiner } from "../packet-lines.js";
import { parseYmdHms } from "../time.js";
import { countMatches, type LineParser, type TextFormat } from "./format.js";
import { itemAt } from "../../../access.js";

const HEADER = /^([UTI]) (?:(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)?) )?(\S+) -> (\S+)(?: \[[^\]]*\])?(?: (\+)?(\d+)@(\d+):(\d+))?(?: #\d+)?\s*$/;
/** The first fragment's payload follows the 8-byte UDP header inside the fragmentable part. */
const UDP_HEADER = 8;

interface FragmentedDatagram {
  meta: BlockMeta;
  text: string;
  firstLine: number;
  /** Offset (in the fragmentable part) where the next fragment must start. */
  next: number;
}
const PROTO = { U: "udp", T: "tcp", I: "unknown" } as const;
/** A packet is at most 64 KiB; more text than this without a header is not a packet. */
const MAX_PACKET_CHARS = 200 * 1024;

function createParser(out: MessageAssembler, flagsLine: boolean): LineParser {
  const joiner = new PacketLineJoiner(out, (printed) => (printed.endsWith(".") ? [printed.slice(0, -1), "\r\n"] : [printed, "\n"]));
  let packet: { meta: BlockMeta; lines: string[]; firstLine: number; chars: number } | null = null;
  let skipFlags = false;

  /** Datagrams being put back together from fragments, by "src>dst>ID". */
  const fragmented = new Map<string, FragmentedDatagram>();
  /** The fragment the current packet is, if it is one. */
  let fragment: { key: string; continued: boolean; offset: number; size: number; line: number } | null = null;

  /** Fragments of a datagram arrive together: a packet that is not a fragment completes them. */
  const flushFragmented = () => {
    for (const d of fragmented.values()) {
      out.startBlock(d.meta, true);
      joiner.payload(d.meta, d.text, d.firstLine);
    }
    fragmented.clear();
  };

  const finishPacket = (headerFollows: boolean) => {
    if (!packet) return;
    const { meta, lines, firstLine } = packet;
    packet = null;
    while (lines.length > 0 && /^#+$/.test(itemAt(lines, lines.length - 1))) lines.pop(); // marks of packets that did not match
    if (headerFollows && lines[lines.length - 1] === "") lines.pop(); // the newline before the next header
    const text = lines.join("\n");
    const f = fragment;
    fragment = null;
    if (!f) return joiner.payload(meta, text, firstLine);
    if (!f.continued) {
      fragmented.set(f.key, { meta, text, firstLine, next: f.offset + f.size + UDP_HEADER });
      return;
    }
    const d = fragmented.get(f.key);
    if (!d || d.next !== f.offset) {
      const [src, dst] = f.key.split(">");
      const why = d ? `it starts at byte ${f.offset}, not at ${d.next} where the previous fragment ended` : "the first fragment is not in the text";
      out.problem(
        `line ${f.line}`,
        `IP fragment ${src} > ${dst} at offset ${f.offset} (${f.size} bytes) not reassembled in text form (${why}); its bytes were left out`,
      );
      return;
    }
    d.text += text;
    d.next += f.size;
    d.meta = { ...d.meta, time: meta.time }; // seen when its last fragment arrives, as a capture reader sees it
  };

  return {
    line(text, _eol, lineNo) {
      const h = text.charCodeAt(1) === 0x20 && /^[UTI]/.test(text) ? HEADER.exec(text) : null;
      if (h) {
        finishPacket(true);
        if (h[6] === undefined || h[5] === undefined) flushFragmented();
        const meta: BlockMeta = {
          time: h[2] ? parseYmdHms(h[2]) : null,
          src: parseColonEndpoint(itemAt(h, 3)),
          dst: parseColonEndpoint(itemAt(h, 4)),
          transport: PROTO[h[1] as keyof typeof PROTO],
        };
        if (h[6] !== undefined) {
          // A next fragment has no ports, so its IPv6 address is printed whole ("…:feb9:1521").
          const [src, dst] = h[5] === "+" ? [itemAt(h, 3), itemAt(h, 4)] : [meta.src?.ip, meta.dst?.ip];
          const key = `${src}>${dst}>${h[6]}`;
          fragment = { key, continued: h[5] === "+", offset: Number(h[7]), size: Number(h[8]), line: lineNo };
        } else out.startBlock(meta, true);
        packet = { meta, lines: [], firstLine: lineNo + (flagsLine ? 2 : 1), chars: 0 };
        skipFlags = flagsLine;
        return;
      }
      if (!packet) return;
      if (skipFlags) {
        skipFlags = false; // sipgrep's flags line (" [AP]", or empty for UDP) is not payload
        return;
      }
      packet.lines.push(text);
      packet.chars += text.length + 1;
      if (packet.chars > MAX_PACKET_CHARS) {
        out.problem(`line ${packet.firstLine}`, `packet text longer than ${MAX_PACKET_CHARS} characters; skipped`);
        packet = null;
      }
    },
    end() {
      finishPacket(false);
      flushFragmented();
      joiner.end();
      out.end();
    },
  };
}

/** The preamble both tools print ("input: file" or "interface: eth0", then "filter: …"), even with no packet. */
const PREAMBLE = /^(?:input|interface): /;
const hasPreamble = (lines: readonly string[]) => lines.length > 1 && PREAMBLE.test(itemAt(lines, 0)) && /^filter: /.test(itemAt(lines, 1));
/** sipgrep's default filter also catches IP fragments. */
const sipgrepFilter = (lines: readonly string[]) => /0x3fff/.test(lines[1] ?? "");

/** sipgrep puts a blank line (UDP) or the TCP flags on their own line (" [AP]") after each header. */
function sipgrepLayout(lines: readonly string[]): boolean {
  if (hasPreamble(lines) && sipgrepFilter(lines)) return true;
  for (let i = 0; i + 1 < lines.length; i++) if (HEADER.test(itemAt(lines, i))) return /^(?:\s*\[[A-Z]*\])?\s*$/.test(itemAt(lines, i + 1));
  return false;
}

export const ngrep: TextFormat = {
  id: "ngrep",
  name: "ngrep -W byline",
  detect: (lines) => {
    if (countMatches(lines, HEADER, 1) > 0) return sipgrepLayout(lines) ? 0 : 20;
    return hasPreamble(lines) && !sipgrepFilter(lines) ? 10 : 0;
  },
  create: (out) => createParser(out, false),
};

export const sipgrep: TextFormat = {
  id: "sipgrep",
  name: "sipgrep",
  detect: (lines) => {
    if (countMatches(lines, HEADER, 1) > 0) return sipgrepLayout(lines) ? 20 : 0;
    return hasPreamble(lines) && sipgrepFilter(lines) ? 10 : 0;
  },
  create: (out) => createParser(out, true),
};
