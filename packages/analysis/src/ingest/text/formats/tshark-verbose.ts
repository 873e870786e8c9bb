/**
 * `tshark -V` (and `-O sip -V`): the packet tree. Each frame starts at "Frame N: …"; its time is
 * under the frame ("Epoch Time:" / "Epoch Arrival Time:", or "Arrival Time:") when the frame tree
 * is expanded; addresses and ports come from the IP and UDP/TCP summary lines. Every
 * "Session Initiation Protocol" subtree is one message, rebuilt from
 *   Request-Line / Status-Line, the "Message Header" lines (8 spaces deep, "[…]" lines are
 *   tshark's own notes) and, under "Message Body", the SDP fields "Name (x): value" → "x=value"
 *   or the lines of "Line-based text data".
 */
import type { BlockMeta } from "../assembler.js";
import type { MessageAssembler } from "../assembler.js";
import { parseMonthDayTime } from "../time.js";
import { countMatches, type LineParser, type TextFormat } from "./format.js";

const FRAME = /^Frame (\d+): /;
const EPOCH = /^ {4}Epoch (?:Arrival )?Time: (\d+(?:\.\d+)?)/;
const ARRIVAL = /^ {4}Arrival Time: (.*)$/;
const IP = /^Internet Protocol Version [46], Src: (.+?), Dst: (.+?)\s*$/;
const L4 = /^(User Datagram Protocol|Transmission Control Protocol|Stream Control Transmission Protocol), Src Port: (\S+?), Dst Port: (\S+?)(?:,|\s*$)/;
const SIP = /^Session Initiation Protocol\b/;
const START = /^ {4}(?:Request|Status)-Line: (.*)$/;
const SDP_FIELD = /\(([a-z])\): (.*)$/;

/** "10.0.0.1", or with name resolution "host (10.0.0.1)". */
const address = (s: string) => /\(([^()]+)\)\s*$/.exec(s)?.[1] ?? s.trim();
/** "5060", or "sip (5060)". */
const portOf = (s: string) => {
  const n = Number(/\((\d+)\)$/.exec(s)?.[1] ?? s);
  return Number.isInteger(n) ? n : null;
};
/** Older tshark prints the CRLF of each line as a literal "\r\n". */
const unescaped = (s: string) => s.replace(/\\r\\n$/, "").replace(/\\n$/, "");

type Part = "none" | "start" | "start-line" | "headers" | "body" | "sdp" | "text";

function createParser(out: MessageAssembler): LineParser {
  let frame: { time: number | null; src: string | null; dst: string | null; sport: number | null; dport: number | null; transport: BlockMeta["transport"] } =
    { time: null, src: null, dst: null, sport: null, dport: null, transport: "unknown" };
  let part: Part = "none";
  let blankSent = false;

  const closeSection = (lineNo: number) => {
    if (part === "none") return;
    if (!blankSent) out.line("", "\r\n", lineNo);
    out.endBlock();
    part = "none";
  };

  const openSection = () => {
    const ep = (ip: string | null, port: number | null) => (ip ? { ip, port } : null);
    out.startBlock({ time: frame.time, src: ep(frame.src, frame.sport), dst: ep(frame.dst, frame.dport), transport: frame.transport });
    part = "start";
    blankSent = false;
  };

  return {
    line(text, _eol, lineNo) {
      if (text === "" || !text.startsWith(" ")) closeSection(lineNo);
      if (text === "") return;
      if (!text.startsWith(" ")) {
        let m: RegExpExecArray | null;
        if (FRAME.test(text)) frame = { time: null, src: null, dst: null, sport: null, dport: null, transport: "unknown" };
        else if ((m = IP.exec(text))) {
          frame.src = address(m[1]!);
          frame.dst = address(m[2]!);
        } else if ((m = L4.exec(text))) {
          frame.sport = portOf(m[2]!);
          frame.dport = portOf(m[3]!);
          frame.transport = m[1]!.startsWith("User") ? "udp" : m[1]!.startsWith("Trans") ? "tcp" : "sctp";
        } else if (/^Transport Layer Security\b/.test(text)) frame.transport = "tls";
        else if (/^WebSocket\b/.test(text)) frame.transport = frame.transport === "tls" ? "wss" : "ws";
        else if (SIP.test(text)) openSection();
        return;
      }
      if (part === "none") {
        const epoch = EPOCH.exec(text);
        if (epoch) frame.time = Number(epoch[1]);
        else if (frame.time === null) {
          const arrival = ARRIVAL.exec(text);
          if (arrival) frame.time = parseMonthDayTime(arrival[1]!);
        }
        return;
      }
      const start = START.exec(text);
      if (start && part === "start") {
        out.line(unescaped(start[1]!), "\r\n", lineNo);
        part = "start-line"; // its subtree (Method, Request-URI…) is tshark's analysis, not headers
        return;
      }
      if (text === "    Message Header") {
        part = "headers";
        return;
      }
      if (text === "    Message Body") {
        out.line("", "\r\n", lineNo);
        blankSent = true;
        part = "body";
        return;
      }
      const depth = text.length - text.trimStart().length;
      const content = text.trimStart();
      if (part === "headers") {
        if (depth === 8 && !content.startsWith("[")) out.line(unescaped(content), "\r\n", lineNo);
      } else if (part === "body" || part === "sdp" || part === "text") {
        if (depth === 8) part = content.startsWith("Session Description Protocol") ? "sdp" : content.startsWith("Line-based text data") ? "text" : "body";
        else if (depth === 12 && part === "sdp") {
          const f = SDP_FIELD.exec(content);
          if (f) out.line(`${f[1]}=${f[2]}`, "\r\n", lineNo);
        } else if (depth === 12 && part === "text" && !content.startsWith("[")) out.line(unescaped(content), "\r\n", lineNo);
      }
    },
    end() {
      closeSection(0);
      out.end();
    },
  };
}

export const tsharkVerbose: TextFormat = {
  id: "tshark-verbose",
  name: "tshark -V",
  detect: (lines) => (countMatches(lines, FRAME, 1) > 0 && countMatches(lines, SIP, 1) > 0 ? 30 : 0),
  create: createParser,
};
