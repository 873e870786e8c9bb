/**
 * sngrep "Save as .txt": per message a line "2026/11/26 03:44:37.245745 127.0.12.10:5060 -> 127.0.12.1:5060"
 * (IPv6 as "[::1]:5270"), then the message exactly as captured (CRLF kept), then blank lines.
 * sngrep has already reassembled TCP; the transport is not printed.
 */
import { parseColonEndpoint } from "../endpoint.js";
import { parseYmdHms } from "../time.js";
import { countMatches, type TextFormat } from "./format.js";
import { itemAt } from "../../../access.js";

const HEADER = /^(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (\S+) -> (\S+)\s*$/;

export const sngrep: TextFormat = {
  id: "sngrep",
  name: "sngrep 'save as text'",
  detect: (lines) => (countMatches(lines, HEADER, 1) > 0 ? 20 : 0),
  create(out) {
    return {
      line(text, eol, lineNo) {
        const h = HEADER.exec(text);
        if (h)
          out.startBlock({
            time: parseYmdHms(itemAt(h, 1)),
            src: parseColonEndpoint(itemAt(h, 2)),
            dst: parseColonEndpoint(itemAt(h, 3)),
            transport: "unknown",
          });
        else out.line(text, eol, lineNo);
      },
      end: () => out.end(),
    };
  },
};
