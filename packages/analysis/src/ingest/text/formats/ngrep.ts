/**
 * ngrep `-W byline` and sipgrep: a header per packet
 *   "U 2026/11/26 03:44:37.245745 127.0.12.10:5060 -> 127.0.12.1:5060 #1"   (T = TCP, [AP] flags)
 * then the payload one line per LF, with every non-printable byte — the CR of each CRLF — shown
 * as ".". The trailing dot is turned back into CRLF. sipgrep prints a blank line after the header.
 */
import { parseColonEndpoint } from "../endpoint.js";
import { parseYmdHms } from "../time.js";
import type { MessageAssembler } from "../assembler.js";
import type { LineEnd } from "../line-reader.js";
import { countMatches, type LineParser, type TextFormat } from "./format.js";

const HEADER = /^([UTI]) (?:(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)?) )?(\S+) -> (\S+)(?: \[[^\]]*\])?(?: #\d+)?\s*$/;
const PROTO = { U: "udp", T: "tcp", I: "unknown" } as const;

function createParser(out: MessageAssembler): LineParser {
  return {
    line(text: string, eol: LineEnd, lineNo: number) {
      const h = text.charCodeAt(1) === 0x20 && /^[UTI]/.test(text) ? HEADER.exec(text) : null;
      if (h) {
        out.startBlock({
          time: h[2] ? parseYmdHms(h[2]) : null,
          src: parseColonEndpoint(h[3]!),
          dst: parseColonEndpoint(h[4]!),
          transport: PROTO[h[1] as keyof typeof PROTO],
        }, true);
        return;
      }
      if (text.charCodeAt(0) === 0x23 && /^#+$/.test(text)) return; // ngrep's marks for packets that did not match
      if (text.endsWith(".")) out.line(text.slice(0, -1), "\r\n", lineNo);
      else out.line(text, eol, lineNo);
    },
    end() {
      out.end();
    },
  };
}

/** The preamble both tools print ("input: file" or "interface: eth0", then "filter: …"), even with no packet. */
const PREAMBLE = /^(?:input|interface): /;
const hasPreamble = (lines: readonly string[]) => lines.length > 1 && PREAMBLE.test(lines[0]!) && /^filter: /.test(lines[1]!);
/** sipgrep's default filter also catches IP fragments. */
const sipgrepFilter = (lines: readonly string[]) => /0x3fff/.test(lines[1] ?? "");

/** sipgrep puts a blank line (UDP) or the TCP flags on their own line (" [AP]") after each header. */
function sipgrepLayout(lines: readonly string[]): boolean {
  if (hasPreamble(lines) && sipgrepFilter(lines)) return true;
  for (let i = 0; i + 1 < lines.length; i++) if (HEADER.test(lines[i]!)) return /^(?:\s*\[[A-Z]*\])?\s*$/.test(lines[i + 1]!);
  return false;
}

export const ngrep: TextFormat = {
  id: "ngrep",
  name: "ngrep -W byline",
  detect: (lines) => {
    if (countMatches(lines, HEADER, 1) > 0) return sipgrepLayout(lines) ? 0 : 20;
    return hasPreamble(lines) && !sipgrepFilter(lines) ? 10 : 0;
  },
  create: createParser,
};

export const sipgrep: TextFormat = {
  id: "sipgrep",
  name: "sipgrep",
  detect: (lines) => {
    if (countMatches(lines, HEADER, 1) > 0) return sipgrepLayout(lines) ? 20 : 0;
    return hasPreamble(lines) && sipgrepFilter(lines) ? 10 : 0;
  },
  create: createParser,
};
