/**
 * Asterisk console/log output — one endpoint's view (the peer's address only):
 *  - res_pjsip `pjsip set logger on`:
 *      "<--- Received SIP request (902 bytes) from UDP:10.0.0.5:5060 --->"
 *      "<--- Transmitting SIP response (492 bytes) to UDP:10.0.0.5:5060 --->"
 *  - chan_sip `sip set debug on`:
 *      "<--- SIP read from UDP:10.0.0.5:5060 --->" … "<------------->"
 *      "<--- Transmitting (no NAT) to 10.0.0.5:5060 --->" / "<--- Reliably Transmitting (NAT) to …" … "<------------>"
 *      (older releases: "Reliably Transmitting (no NAT) to 10.0.0.5:5060:" … "---")
 * A log-file prefix such as "[Nov 26 03:44:37] VERBOSE[123] res_pjsip_logger.c: " gives the time.
 */
import type { BlockMeta, MessageAssembler } from "../assembler.js";
import { parseColonEndpoint, parseTransport } from "../endpoint.js";
import { parseMonthDayTime, parseYmdHms } from "../time.js";
import { countMatches, type LineParser, type TextFormat } from "./format.js";
import { itemAt } from "../../../access.js";

const PJSIP = /<--- (Received|Transmitting) SIP (?:request|response) \(\d+ bytes\) (?:from|to) (\w+):(\S+?) --->\s*$/;
const CHAN_READ = /<--- SIP read from (\w+):(\S+?) --->\s*$/;
const CHAN_SEND = /(?:<--- )?(?:Reliably )?Transmitting \((?:no )?NAT\) to (\S+?)(?: --->|:)\s*$/;
const CHAN_END = /^(?:<-{6,}>|--- \(\d+ headers \d+ lines\) ---|---)\s*$/;
/**
 * The timestamp Asterisk puts before log lines: "[Nov 26 03:44:37] " or "[2026-11-26 03:44:37.123] ".
 * Log files carry it on the first line of an entry only; console captures often on every line.
 */
const STAMP = /^\[(?:[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\] ?/;
/** What follows the stamp on a log entry that is not a SIP message line: "VERBOSE[123][C-0001] …". */
const LOG_ENTRY = /^(?:VERBOSE|NOTICE|WARNING|ERROR|DEBUG|DTMF|SECURITY)\[\d+\]/;

const timeOf = (prefix: string) => parseYmdHms(prefix) ?? parseMonthDayTime(prefix);

function blockFrom(line: string, pjsip: boolean): BlockMeta | null {
  if (pjsip) {
    const m = PJSIP.exec(line);
    if (!m) return null;
    const peer = parseColonEndpoint(itemAt(m, 3));
    const time = timeOf(line.slice(0, m.index));
    const transport = parseTransport(m[2]);
    return m[1] === "Received"
      ? { time, src: peer, dst: null, transport, direction: "received" }
      : { time, src: null, dst: peer, transport, direction: "sent" };
  }
  const read = CHAN_READ.exec(line);
  if (read)
    return {
      time: timeOf(line.slice(0, read.index)),
      src: parseColonEndpoint(itemAt(read, 2)),
      dst: null,
      transport: parseTransport(read[1]),
      direction: "received",
    };
  const send = CHAN_SEND.exec(line);
  if (send) return { time: timeOf(line.slice(0, send.index)), src: null, dst: parseColonEndpoint(itemAt(send, 1)), transport: "unknown", direction: "sent" };
  return null;
}

function createParser(out: MessageAssembler, pjsip: boolean): LineParser {
  return {
    line(text, eol, lineNo) {
      const meta = blockFrom(text, pjsip);
      if (meta) {
        out.startBlock(meta);
        return;
      }
      const stamp = STAMP.exec(text);
      const rest = stamp ? text.slice(stamp[0].length) : text;
      if ((!pjsip && CHAN_END.test(rest)) || (stamp && LOG_ENTRY.test(rest))) out.endBlock();
      else out.line(rest, eol, lineNo);
    },
    end: () => out.end(),
  };
}

export const asteriskPjsip: TextFormat = {
  id: "asterisk-pjsip",
  name: "Asterisk pjsip set logger",
  detect: (lines) => (countMatches(lines, PJSIP, 1) > 0 ? 30 : 0),
  create: (out) => createParser(out, true),
};

export const asteriskChanSip: TextFormat = {
  id: "asterisk-chan-sip",
  name: "Asterisk chan_sip sip set debug",
  detect: (lines) => (countMatches(lines, CHAN_READ, 1) > 0 || countMatches(lines, /(?:<--- )?(?:Reliably )?Transmitting \((?:no )?NAT\) to /, 1) > 0 ? 30 : 0),
  create: (out) => createParser(out, false),
};
