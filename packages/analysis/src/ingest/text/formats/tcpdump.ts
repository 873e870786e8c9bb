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
 * precedes the dump — or is all there is without -A. A UDP payload is cut at its start line, found
 * by method, since a bare LF in it would throw the count from the end off.
 *
 * Also read: link prefixes before the addresses (PPPoE sessions, Linux "any" captures, -e link
 * headers, see NETWORK); -x/-X/-XX hex dumps, which give the exact bytes; IPv6 fragments, joined
 * by offset (text-fragments.ts). IPv4 fragments after the first ("ip-proto-17") are only reported.
 */
import type { BlockMeta } from "../assembler.js";
import { parseDotEndpoint } from "../endpoint.js";
import { findEmbeddedSipStart } from "../sip-start.js";
import { looksLikeSipStart } from "../../../sip/framing.js";
import { TimeOfDayClock, parseYmdHms } from "../time.js";
import { PacketLineJoiner } from "../packet-lines.js";
import { TextFragmentJoiner, type TextFragment } from "../text-fragments.js";
import { countMatches, type TextFormat } from "./format.js";
import { byteAt, itemAt, present } from "../../../access.js";

// With -v an IP details group comes first: on the same line (IPv6) or on a line of its own (IPv4),
// the addresses following on the next, indented line.
const IP_DETAILS = String.raw`\((?:[^()]|\([^()]*\))*\)`;
// What comes before the addresses: "IP "/"IP6 ", after "PPPoE  [ses 0x18e5] " on a PPPoE session; with
// -e the link header instead ("aa:… > bb:…, ethertype IPv4 (0x0800), length 380: ", Linux SLL
// " In aa:… ethertype IPv6 (0x86dd), length 1512: ", VLAN tags, and on PPPoE
// "PPPoE  [ses 0x18e5] IP (0x0021), length 1073: "; Linux SLL2 "lo    In  ifindex 1 aa:… ethertype …"),
// where tcpdump leaves the "IP" out.
const MAC = String.raw`[0-9a-f]{2}(?::[0-9a-f]{2}){5}`;
const ETHERTYPE = String.raw`ethertype [^()]*\(0x[0-9a-f]{4}\), `;
const PPPOE = String.raw`PPPoE\s+\[[^\]]*\] `;
const LINK_E = String.raw`\s*(?:\S+ +)?(?:(?:In|Out|B|M|P) +)?(?:ifindex \d+ )?(?:${MAC}(?: > ${MAC})?,? )?${ETHERTYPE}length \d+: (?:vlan \d+, p \d+, ${ETHERTYPE})*(?:${PPPOE}IP6? \(0x[0-9a-f]{4}\), length \d+: )?`;
// Without -e, an "any" capture (Linux SLL2) still names the interface and direction: "lo    In  IP …".
const NETWORK = String.raw`(?:${LINK_E}|(?:\S+ +(?:In|Out|B|M|P) +)?(?:${PPPOE})?IP6? )`;
const STAMP = String.raw`^(?:(\d{4}-\d\d-\d\d) )?(\d\d:\d\d:\d\d\.\d+) ${NETWORK}`;
const HEADER = new RegExp(`${STAMP}(?:${IP_DETAILS} )?(\\S+) > (\\S+?): (.*)$`);
const VERBOSE_FIRST = new RegExp(`${STAMP}${IP_DETAILS}$`);
const VERBOSE_SECOND = /^\s+(\S+) > (\S+?): (.*)$/;
const LENGTH = /\blength:? (\d+)\b/;
/** The IPv4 Identification in -v's details: "(tos 0x0, ttl 64, id 4660, offset 0, …)". */
const IP_ID = /\(tos 0x[0-9a-f]+, ttl \d+, id (\d+),/;
const ipIdOf = (line: string): number | undefined => {
  const m = IP_ID.exec(line);
  return m ? Number(m[1]) : undefined;
};
/** An IPv6 fragment: offset|size, the ID first with -v; the first one goes on with "sport > dport: …". */
const FRAGMENT = /^frag \((?:(0x[0-9a-f]+):)?(\d+)\|(\d+)\)(?: (\d+) > (\d+): (.*))?$/;
/** A -x/-X hex dump line: "\t0x0010:  4011 2994 b22d …  @.)..-I." (exact bytes, CRLF included). */
const HEX_LINE = /^\t0x[0-9a-f]{4,}: {2}(.*)$/;
const utf8 = new TextDecoder("utf-8");
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
  /** Set for an IPv6 fragment: handed to the fragment joiner instead of the assembler. */
  fragment?: Omit<TextFragment, "text" | "splitCrLf" | "payloadLine">;
}

/** The bytes of a -x/-X/-XX dump, and the index among `lines` of each dump line (null: not a dump). */
function hexDump(lines: string[]): { bytes: Uint8Array; lineOfByte: (i: number) => number } | null {
  const rows: { at: number; hex: string }[] = [];
  lines.forEach((l, at) => {
    const m = HEX_LINE.exec(l);
    if (m) rows.push({ at, hex: present(itemAt(m, 1).split("  ")[0]).replace(/ /g, "") });
  });
  if (rows.length === 0) return null;
  const bytes = new Uint8Array(rows.reduce((n, r) => n + (r.hex.length >> 1), 0));
  let o = 0;
  for (const r of rows) for (let i = 0; i + 1 < r.hex.length; i += 2) bytes[o++] = parseInt(r.hex.slice(i, i + 2), 16);
  return { bytes: bytes.subarray(0, o), lineOfByte: (i) => itemAt(rows, Math.min(rows.length - 1, Math.floor(i / 16))).at };
}

/** A summary line without a payload length; the dump's bytes are searched for the SIP start. */
const UNKNOWN_LENGTH = -1;

/**
 * Where SIP starts in a dumped packet whose summary gave no length (UDP, decoded by tcpdump as SIP):
 * after the UDP header of the IPv4/IPv6 packet that fills the rest of the dump. -x/-X dump from the
 * IP header; -XX and a PPPoE session put link headers first, so the IP header is looked for by its
 * length field. Null when there is none (then the packet is not read: no guessing inside junk).
 */
function sipOffset(d: Uint8Array): { from: number; to: number } | null {
  for (let i = 0; i + 40 <= d.length && i < 64; i++) {
    const version = byteAt(d, i) >> 4;
    // The IP length may stop short of the dump's end (Ethernet padding), never beyond it.
    const v4Length = (byteAt(d, i + 2) << 8) | byteAt(d, i + 3);
    const v6Length = 40 + ((byteAt(d, i + 4) << 8) | byteAt(d, i + 5));
    const [udpAt, end] =
      version === 4 && (byteAt(d, i) & 0x0f) >= 5 && d[i + 9] === 17 && v4Length <= d.length - i
        ? [i + (byteAt(d, i) & 0x0f) * 4, i + v4Length]
        : version === 6 && d[i + 6] === 17 && v6Length <= d.length - i
          ? [i + 40, i + v6Length]
          : [-1, 0];
    if (udpAt >= 0 && looksLikeSipStart(d, udpAt + 8, end)) return { from: udpAt + 8, to: end };
  }
  return null;
}

/** Where the start line begins in a datagram's dump: past the header junk, never in -v's decoded lines. */
function datagramStart(text: string): { index: number; splitCrLf: boolean } | null {
  let at = 0;
  for (const line of text.split("\n")) {
    const found = line.startsWith("\t") ? -1 : findEmbeddedSipStart(line);
    if (found >= 0) return { index: at + found, splitCrLf: false };
    at += line.length + 1;
  }
  return null;
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
    let verboseStamp: [string | undefined, string, number | undefined] | null = null;
    let packet: Packet | null = null;
    /** IPv4 fragments after the first ("ip-proto-17"), which are not put back together. */
    let v4Fragments: { count: number; line: number } | null = null;
    /** Metadata of the last summary line (for a hex dump that follows a summary without a length). */
    let lastMeta: BlockMeta = { time: null, src: null, dst: null, transport: "unknown" };

    const joiner = new PacketLineJoiner(out, (printed) => [printed, "\r\n"]); // tcpdump drops the CR of CRLF
    const fragments = new TextFragmentJoiner((line, message) => out.problem(`line ${line}`, message));

    const deliverFragment = (f: TextFragment) => {
      const whole = fragments.add(f);
      if (!whole) return;
      out.startBlock(whole.meta, true);
      joiner.payload(whole.meta, whole.text, whole.payloadLine);
    };

    const finishPacket = () => {
      if (!packet) return;
      const { meta, length, lines, firstLine, fragment } = packet;
      packet = null;
      if (length === 0) return;
      if (lines.length === 0) {
        unprinted++;
        return;
      }
      printed++;
      // a -x/-X dump always ends the packet's lines: plain -A text never pays for the hex scan
      const dump = HEX_LINE.test(itemAt(lines, lines.length - 1)) ? hexDump(lines) : null;
      if (dump) {
        // -x/-X: the exact bytes. The payload is the last `length` of them; CRLFs are in it as sent.
        const range = length === UNKNOWN_LENGTH ? sipOffset(dump.bytes) : { from: Math.max(0, dump.bytes.length - length), to: dump.bytes.length };
        if (!range) return;
        const { from, to } = range;
        const payload = utf8.decode(dump.bytes.subarray(from, to));
        const payloadLine = firstLine + dump.lineOfByte(from);
        if (fragment) return deliverFragment({ ...fragment, text: payload, splitCrLf: false, payloadLine });
        joiner.payload(meta, payload, payloadLine);
        return;
      }
      if (lines.every((l) => l.startsWith("\t"))) {
        // -v without -A: only tcpdump's own SIP decoding, "\t" + each CRLF-terminated payload line.
        joiner.payload(meta, lines.map((l) => `${l.slice(1)}\n`).join(""), firstLine);
        return;
      }
      const text = lines.join("\n");
      // A UDP payload is one whole message, so it begins with a start line: found by its method, it
      // is exact even when the message has bare LFs (one byte each, where counting assumes CRLF's two).
      const { index, splitCrLf } = (meta.transport === "udp" && !fragment ? datagramStart(text) : null) ?? payloadStart(text, length);
      const payloadFirstLine = firstLine + text.slice(0, index).split("\n").length - 1;
      if (fragment) return deliverFragment({ ...fragment, text: text.slice(index), splitCrLf, payloadLine: payloadFirstLine });
      joiner.payload(meta, text.slice(index), payloadFirstLine, splitCrLf);
    };

    /** An IPv6 fragment's summary: its payload is collected like a packet's, then joined by offset. */
    const startFragment = (frag: RegExpExecArray, src: string, dst: string, time: number | null, lineNo: number) => {
      const [, id, offsetText, sizeText, sport, dport, inner] = frag;
      const offset = Number(offsetText);
      const size = Number(sizeText);
      const base: BlockMeta = { time, src: { ip: src, port: null }, dst: { ip: dst, port: null }, transport: "udp" };
      const udpLength = inner !== undefined && /^UDP\b|^SIP\b/.test(inner) ? Number(LENGTH.exec(inner)?.[1] ?? NaN) : NaN;
      const first =
        offset === 0 && Number.isInteger(udpLength)
          ? { meta: { ...base, src: { ip: src, port: Number(sport) }, dst: { ip: dst, port: Number(dport) } }, udpLength }
          : undefined;
      // The first fragment's fragmentable part starts with the 8-byte UDP header; SIP follows it.
      const payload = offset === 0 ? size - 8 : size;
      const fragment = { key: `${src}>${dst}${id ? `>${id}` : ""}`, offset, size, meta: base, line: lineNo, ...(first ? { first } : {}) };
      packet = { meta: base, length: Math.max(payload, 0), lines: [], firstLine: lineNo + 1, chars: 0, fragment };
      seekingStart = false;
    };

    return {
      line(text, _eol, lineNo) {
        const first = VERBOSE_FIRST.exec(text);
        if (first) {
          finishPacket();
          verboseStamp = [first[1], itemAt(first, 2), ipIdOf(text)];
          return;
        }
        const second = verboseStamp ? VERBOSE_SECOND.exec(text) : null;
        const h = second ? null : HEADER.exec(text);
        if (h || second) {
          finishPacket();
          const [date, tod, ipId] = second ? present(verboseStamp) : [present(h)[1], present(present(h)[2]), ipIdOf(text)];
          const [src, dst, rest] = second
            ? [itemAt(second, 1), itemAt(second, 2), itemAt(second, 3)]
            : [present(present(h)[3]), present(present(h)[4]), present(present(h)[5])];
          verboseStamp = null;
          const time = date ? parseYmdHms(`${date} ${tod}`) : clock.read(tod);
          const frag = FRAGMENT.exec(rest);
          if (frag) {
            startFragment(frag, src, dst, time, lineNo);
            return;
          }
          if (/^ip-proto-17\b/.test(rest)) {
            // An IPv4 fragment after the first: tcpdump shows no UDP header, and without -v no offset.
            if (v4Fragments) v4Fragments.count++;
            else v4Fragments = { count: 1, line: lineNo };
          }
          const transport = /^Flags \[/.test(rest) ? "tcp" : "udp";
          const meta: BlockMeta = { time, src: parseDotEndpoint(src), dst: parseDotEndpoint(dst), transport };
          // A datagram's IPv4 ID tells a capture duplicate from a resend (-v prints it); a stream's
          // messages span segments, so they go without one, as in the capture reader.
          if (ipId !== undefined && transport === "udp") meta.ipId = ipId;
          out.startBlock(meta, true);
          const length = LENGTH.exec(rest);
          if (length) packet = { meta, length: Number(length[1]), lines: [], firstLine: lineNo + 1, chars: 0 };
          seekingStart = !length;
          lastMeta = meta;
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
        if (seekingStart && HEX_LINE.test(text)) {
          // A hex dump after a summary without a length (tcpdump's SIP decoder on UDP): collect it.
          packet = { meta: lastMeta, length: UNKNOWN_LENGTH, lines: [text], firstLine: lineNo, chars: text.length + 1 };
          seekingStart = false;
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
        fragments.end();
        if (v4Fragments) {
          const { count, line } = v4Fragments;
          out.problem(
            `line ${line}`,
            `${count} IPv4 fragment${count === 1 ? "" : "s"} after the first ("ip-proto-17") not reassembled in text form; a SIP message continued in ${count === 1 ? "it" : "them"} is cut (read the capture file instead)`,
          );
        }
        if (unprinted > 0 && printed === 0) {
          out.problem("line 1", `${unprinted} packets carry a payload that tcpdump did not print; run tcpdump with -A to include the SIP text`);
        }
        joiner.end();
        out.end();
      },
    };
  },
};
