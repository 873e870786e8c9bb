/**
 * `tshark -V` (and `-O sip -V`): the packet tree. Each frame starts at "Frame N: …"; its time is
 * under the frame ("Epoch Time:" / "Epoch Arrival Time:", or "Arrival Time:") when the frame tree
 * is expanded; addresses and ports come from the IP and UDP/TCP summary lines. Every
 * "Session Initiation Protocol" subtree is one message, rebuilt from
 *   Request-Line / Status-Line, the "Message Header" lines (8 spaces deep, "[…]" lines are
 *   tshark's own notes) and, under "Message Body", the SDP fields "Name (x): value" → "x=value"
 *   or the lines of "Line-based text data", or the escaped lines ("Signal= 1\r\n") tshark prints
 *   for a body type it has no dissector for.
 * tshark cuts a tree line at 240 characters and marks it "[truncated]" ("    Request-Line [truncated]: …",
 * "         [truncated]Via: …"): the line is kept as far as it goes, and the message gets a problem
 * naming the header, so a cut value (a Via's last hop, a nonce) is never taken for the whole one.
 * A body that tshark shows only as a decoded tree (XML, GSM SMS…) cannot be rebuilt: also a problem.
 */
import type { BlockMeta } from "../assembler.js";
import type { MessageAssembler } from "../assembler.js";
import { parseMonthDayTime } from "../time.js";
import { isSipStartLine } from "../sip-start.js";
import { countMatches, type LineParser, type TextFormat } from "./format.js";
import { itemAt } from "../../../access.js";

const FRAME = /^Frame (\d+): /;
const EPOCH = /^ {4}Epoch (?:Arrival )?Time: (\d+(?:\.\d+)?)/;
const ARRIVAL = /^ {4}Arrival Time: (.*)$/;
/** Under an expanded IPv4 layer: the packet's ID, which tells a capture duplicate from a resend. */
const IP_ID = /^ {4}Identification: 0x([0-9a-f]{4})\b/;
const IP = /^Internet Protocol Version [46], Src: (.+?), Dst: (.+?)\s*$/;
const L4 = /^(User Datagram Protocol|Transmission Control Protocol|Stream Control Transmission Protocol), Src Port: (\S+?), Dst Port: (\S+?)(?:,|\s*$)/;
const SIP = /^Session Initiation Protocol\b/;
const START = /^ {4}(?:Request|Status)-Line( \[truncated\])?: (.*)$/;
/** tshark's mark on a header line it cut for display (one more space than the header's depth). */
const TRUNCATED = "[truncated]";
/** The body subtree whose lines are the body text. */
const TEXT_BODY = /^Line-based text data\b/;
/** An escaped body line of a type tshark does not dissect: "Signal= 1\r\n". */
const ESCAPED_LINE = /\\r\\n$|\\n$/;
const CONTENT_LENGTH = /^(?:Content-Length|l)\s*:\s*(\d+)/i;
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
  let frame: {
    time: number | null;
    src: string | null;
    dst: string | null;
    sport: number | null;
    dport: number | null;
    transport: BlockMeta["transport"];
    ipId?: number;
  } = { time: null, src: null, dst: null, sport: null, dport: null, transport: "unknown", ipId: undefined };
  let part: Part = "none";
  let blankSent = false;
  /** The metadata of the message being read (its notes are filled in before it is delivered). */
  let block: BlockMeta = { time: null, src: null, dst: null, transport: "unknown" };
  /** Header lines of this message that tshark cut, and where each kind of note sits in block.notes. */
  let cutHeaders: string[] = [];
  const noteSlots = new Map<string, number>();
  /** tshark judged the Content-Length invalid ("255 " with a trailing space) and then shows no body. */
  let invalidLength = false;
  /** The Content-Length the message declares (0 when absent). */
  let declaredLength = 0;

  const closeSection = (lineNo: number) => {
    if (part === "none") return;
    noteOmissions();
    if (!blankSent) out.line("", "\r\n", lineNo);
    out.endBlock();
    part = "none";
  };

  /**
   * What tshark left out becomes the message's own problems: noted on its block as soon as it is
   * seen, since a message with a body is delivered at its last body line, before the section ends.
   */
  const note = (slot: "cut" | "tree" | "length", text: string) => {
    const notes = (block.notes ??= []);
    const at = noteSlots.get(slot);
    if (at === undefined) noteSlots.set(slot, notes.push(text) - 1);
    else notes[at] = text;
  };
  const noteCut = () => {
    const names = [...new Set(cutHeaders)].join(" and ");
    note(
      "cut",
      `tshark cut the ${names} ${cutHeaders.length === 1 ? "line" : "lines"} at 240 characters ("[truncated]"): the value is incomplete here; read the capture for the whole value`,
    );
  };
  const noteOmissions = () => {
    // Without a body the message waits for the section's end: still in time for this one.
    if (invalidLength && declaredLength > 0 && !blankSent)
      note("length", "tshark found the Content-Length invalid and did not show the body; the body is not in this text (read the capture)");
  };

  const resetNotes = () => {
    cutHeaders = [];
    invalidLength = false;
    declaredLength = 0;
    noteSlots.clear();
  };

  const openSection = () => {
    const ep = (ip: string | null, port: number | null) => (ip ? { ip, port } : null);
    block = { time: frame.time, src: ep(frame.src, frame.sport), dst: ep(frame.dst, frame.dport), transport: frame.transport };
    // Only a datagram is one packet; a reassembled TCP message spans several (no ID, as in captures).
    if (frame.ipId !== undefined && frame.transport === "udp") block.ipId = frame.ipId;
    out.startBlock(block);
    part = "start";
    blankSent = false;
    resetNotes();
  };

  return {
    line(text, _eol, lineNo) {
      if (text === "" || !text.startsWith(" ")) closeSection(lineNo);
      if (text === "") return;
      if (!text.startsWith(" ")) {
        let m: RegExpExecArray | null;
        if (FRAME.test(text)) frame = { time: null, src: null, dst: null, sport: null, dport: null, transport: "unknown", ipId: undefined };
        else if ((m = IP.exec(text))) {
          frame.src = address(itemAt(m, 1));
          frame.dst = address(itemAt(m, 2));
          frame.ipId = undefined; // the innermost IP layer's ID counts; IPv6 has none
        } else if ((m = L4.exec(text))) {
          frame.sport = portOf(itemAt(m, 2));
          frame.dport = portOf(itemAt(m, 3));
          frame.transport = itemAt(m, 1).startsWith("User") ? "udp" : itemAt(m, 1).startsWith("Trans") ? "tcp" : "sctp";
        } else if (/^Transport Layer Security\b/.test(text)) frame.transport = "tls";
        else if (/^WebSocket\b/.test(text)) frame.transport = frame.transport === "tls" ? "wss" : "ws";
        else if (SIP.test(text)) openSection();
        return;
      }
      if (part === "none") {
        const epoch = EPOCH.exec(text);
        const id = epoch ? null : IP_ID.exec(text);
        if (epoch) frame.time = Number(epoch[1]);
        else if (id) frame.ipId = parseInt(itemAt(id, 1), 16);
        else if (frame.time === null) {
          const arrival = ARRIVAL.exec(text);
          if (arrival) frame.time = parseMonthDayTime(itemAt(arrival, 1));
        }
        return;
      }
      const start = START.exec(text);
      if (start && part === "start") {
        const startLine = unescaped(itemAt(start, 2));
        const kind = itemAt(text.trimStart().split(/[ :]/), 0);
        if (!isSipStartLine(startLine)) {
          // The framer would pass over the whole message without a word: say why it is left out.
          const why = start[1]
            ? `tshark cut the ${kind} at 240 characters ("[truncated]")`
            : `the ${kind} "${startLine.length > 60 ? `${startLine.slice(0, 60)}…` : startLine}" is not a SIP start line (method of at most 32 token characters, Request-URI, SIP/2.0)`;
          out.problem(`line ${lineNo}`, `${why}; this SIP message was left out`);
        } else if (start[1]) {
          cutHeaders.push(kind);
          noteCut();
        }
        out.line(startLine, "\r\n", lineNo);
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
        if (depth === 9 && content.startsWith(TRUNCATED)) {
          const header = content.slice(TRUNCATED.length);
          cutHeaders.push(header.slice(0, Math.max(0, header.indexOf(":"))) || header.slice(0, 20));
          noteCut();
          out.line(header, "\r\n", lineNo);
        } else if (depth === 8 && !content.startsWith("[")) {
          out.line(unescaped(content), "\r\n", lineNo);
          const length = CONTENT_LENGTH.exec(content);
          if (length) declaredLength = Number(length[1]);
        } else if (content === "[Invalid content_length]") invalidLength = true;
      } else if (part === "body" || part === "sdp" || part === "text") {
        if (depth === 8 && ESCAPED_LINE.test(content)) {
          out.line(unescaped(content), "\r\n", lineNo);
          part = "body";
        } else if (depth === 8) {
          part = content.startsWith("Session Description Protocol") ? "sdp" : TEXT_BODY.test(content) ? "text" : "body";
          if (part === "body" && !noteSlots.has("tree"))
            note("tree", `tshark -V shows the body only as a decoded tree (${content}), not as text; the body was left out of this message`);
        } else if (depth === 12 && part === "sdp") {
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
