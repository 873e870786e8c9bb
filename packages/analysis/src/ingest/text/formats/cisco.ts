/**
 * Cisco IOS / CUBE `debug ccsip messages` — one endpoint's view, no addresses:
 *   "*Mar  1 00:01:02.345: //-1/xxxxxxxxxxxx/SIP/Msg/ccsipDisplayMsg:"   (or an uptime "00:11:29: //…")
 *   "Received:"  or  "Sent:"
 *   the message, up to the next timestamped log line.
 * Syslog stamps have no year (1970 is used; relative times stay right), uptime stamps are a
 * time of day (see time.ts).
 */
import { TimeOfDayClock, parseMonthDayTime } from "../time.js";
import { countMatches, type TextFormat } from "./format.js";
import { createStampedLogParser } from "./stamped-log.js";
import { itemAt } from "../../../access.js";

const STAMP = /^[*.]?(?:([A-Z][a-z]{2} +\d+ (?:\d{4} )?)?(\d+:\d\d:\d\d(?:\.\d+)?)(?: [A-Z]{2,5})?):\s/;
const DIRECTION = /^(Received|Sent):\s*$/;

export const ciscoCcsip: TextFormat = {
  id: "cisco-ccsip",
  name: "Cisco debug ccsip messages",
  detect: (lines) => (countMatches(lines, /ccsipDisplayMsg/, 1) > 0 || (countMatches(lines, DIRECTION, 1) > 0 && countMatches(lines, STAMP, 1) > 0) ? 30 : 0),
  create(out) {
    const clock = new TimeOfDayClock();
    return createStampedLogParser(out, {
      stamp(text) {
        const m = STAMP.exec(text);
        if (!m) return undefined;
        return m[1] ? parseMonthDayTime(m[1] + m[2]) : clock.read(itemAt(m, 2));
      },
      direction(text) {
        const m = DIRECTION.exec(text);
        return m ? { direction: m[1] === "Sent" ? "sent" : "received", transport: "unknown" } : null;
      },
    });
  },
};
