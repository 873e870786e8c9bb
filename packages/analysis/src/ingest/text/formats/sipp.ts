/**
 * SIPp `-trace_msg` message log — one endpoint's view. Each message:
 *   "----------------------------------------------- 2026-11-26 04:23:43.122373"
 *   "UDP message sent (517 bytes):"  or  "UDP message received [314] bytes :"
 *   blank line, the message, blank line.
 * The log names neither the local nor the remote address: src/dst stay null, direction is kept.
 */
import { parseTransport } from "../endpoint.js";
import { parseYmdHms } from "../time.js";
import { countMatches, type TextFormat } from "./format.js";
import { createStampedLogParser } from "./stamped-log.js";
import { itemAt } from "../../../access.js";

const STAMP = /^-{10,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\s*$/;
const WHAT = /^(UDP|TCP|TLS|SCTP|WS|WSS)\S* message (sent|received)\b/i;

export const sipp: TextFormat = {
  id: "sipp-trace",
  name: "SIPp -trace_msg",
  detect: (lines) => (countMatches(lines, STAMP, 1) > 0 && countMatches(lines, WHAT, 1) > 0 ? 30 : 0),
  create: (out) =>
    createStampedLogParser(out, {
      stamp(text) {
        const m = STAMP.exec(text);
        return m ? parseYmdHms(itemAt(m, 1)) : undefined;
      },
      direction(text) {
        const m = WHAT.exec(text);
        if (!m) return null;
        return { direction: itemAt(m, 2).toLowerCase() === "sent" ? "sent" : "received", transport: parseTransport(m[1]) };
      },
    }),
};
