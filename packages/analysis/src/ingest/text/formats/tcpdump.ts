/**
 * `tcpdump -A`: a summary line per packet
 *   "03:44:37.245745 IP 127.0.12.10.5060 > 127.0.12.1.5060: SIP: INVITE sip:… SIP/2.0"
 * (IP6 for IPv6, "Flags [P.], …" for TCP, a date first with -tttt), then the whole packet from the
 * IP header on as text: header bytes print as dots and junk (an LF among them breaks the line), CRs
 * are not printed. The SIP start line is searched inside the junk; every line is given back its CRLF.
 * Times are a time of day (see time.ts) unless -tttt added the date.
 */
import { parseDotEndpoint } from "../endpoint.js";
import { findEmbeddedSipStart } from "../sip-start.js";
import { TimeOfDayClock, parseYmdHms } from "../time.js";
import { countMatches, type TextFormat } from "./format.js";

const HEADER = /^(?:(\d{4}-\d\d-\d\d) )?(\d\d:\d\d:\d\d\.\d+) (IP6?) (\S+) > (\S+?): (.*)$/;

export const tcpdump: TextFormat = {
  id: "tcpdump",
  name: "tcpdump -A",
  detect: (lines) => (countMatches(lines, HEADER, 1) > 0 ? 20 : 0),
  create(out) {
    const clock = new TimeOfDayClock();
    let seekingStart = false;
    return {
      line(text, _eol, lineNo) {
        const h = HEADER.exec(text);
        if (h) {
          const time = h[1] ? parseYmdHms(`${h[1]} ${h[2]}`) : clock.read(h[2]!);
          const transport = /^Flags \[/.test(h[6]!) ? "tcp" : "udp";
          out.startBlock({ time, src: parseDotEndpoint(h[4]!), dst: parseDotEndpoint(h[5]!), transport }, true);
          seekingStart = true;
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
      end: () => out.end(),
    };
  },
};
