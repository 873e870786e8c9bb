/**
 * FreeSWITCH `sofia global siptrace on` — one endpoint's view:
 *   "recv 903 bytes from udp/[192.168.7.101]:52110 at 20:07:57.811303:"
 *   "   ------------------------------------------------------------------------"
 *   the message (indented like the rule, 3 spaces in recent releases)
 *   "   ------------------------------------------------------------------------"
 * "send … bytes to …" for what FreeSWITCH sent. Only a time of day is printed (see time.ts).
 */
import { parseTransport } from "../endpoint.js";
import { TimeOfDayClock } from "../time.js";
import { countMatches, type TextFormat } from "./format.js";
import { itemAt } from "../../../access.js";

// Sofia-SIP tport_stamp(): "%s %zu bytes %s %s/[%s]:%u%s%s at %02u:%02u:%02u.%06lu:" — the last two
// fields are an IPv6 flow label ("/123") and ";comp=sigcomp"; the time is UTC (seconds of the day).
const MARK = /\b(recv|send) \d+ bytes (?:from|to) (\w+)\/\[([^\]]+)\]:(\d+)\S* at (\d\d:\d\d:\d\d(?:\.\d+)?):?\s*$/;
const RULE = /^(\s*)-{20,}\s*$/;

export const freeswitch: TextFormat = {
  id: "freeswitch",
  name: "FreeSWITCH sofia siptrace",
  detect: (lines) => (countMatches(lines, MARK, 1) > 0 ? 30 : 0),
  create(out) {
    const clock = new TimeOfDayClock();
    let state: "outside" | "before-rule" | "message" = "outside";
    let indent = 0;
    return {
      line(text, eol, lineNo) {
        const m = MARK.exec(text);
        if (m) {
          const peer = { ip: itemAt(m, 3), port: Number(m[4]) };
          const time = clock.read(itemAt(m, 5));
          const transport = parseTransport(m[2]);
          out.startBlock(
            m[1] === "recv" ? { time, src: peer, dst: null, transport, direction: "received" } : { time, src: null, dst: peer, transport, direction: "sent" },
          );
          state = "before-rule";
          return;
        }
        const rule = RULE.exec(text);
        if (rule && state === "before-rule") {
          indent = itemAt(rule, 1).length;
          state = "message";
        } else if (rule && state === "message") {
          out.endBlock();
          state = "outside";
        } else if (state === "message") {
          const lead = text.length - text.trimStart().length;
          out.line(text.slice(Math.min(indent, lead)), eol, lineNo);
        }
      },
      end: () => out.end(),
    };
  },
};
