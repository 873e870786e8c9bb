/**
 * One-line-per-message summaries. They name messages but do not carry them, so they are
 * recognised only to say so clearly instead of producing a wrong analysis, and to say how to
 * export the same trace in a form that has the messages.
 */
import type { FormatId, SummaryOnlyNotice } from "@siplens/contracts";
import { countMatches, type TextFormat } from "./format.js";

// Checked against tshark 4.0 and sngrep 1.6: each writes a file siplens reads whole.
const TSHARK_EXPORTS: SummaryOnlyNotice["exports"] = [
  { how: "Upload the SIP packets as a capture", command: "tshark -r capture.pcapng -Y sip -w sip-only.pcapng" },
  { how: "Or paste the full decode as text", command: "tshark -r capture.pcapng -Y sip -V > sip.txt" },
];
const SNGREP_EXPORTS: SummaryOnlyNotice["exports"] = [
  {
    how: "In sngrep, press F2 (Save) on the call list and save as .pcap, or write the SIP packets of a capture with",
    command: "sngrep -N -q -I capture.pcap -O sip-only.pcap",
  },
  { how: "Or paste a dialog's full messages: in sngrep's call flow, press F2 (Save) and save as .txt" },
];
const SIPP_EXPORTS: SummaryOnlyNotice["exports"] = [
  { how: "Run SIPp with -trace_msg instead of -trace_shortmsg and paste the *_messages.log it writes" },
  { how: "Or capture the test's SIP packets and upload the file", command: "tcpdump -i any -w sipp.pcap port 5060" },
];

const NOTICES = new Map<string, SummaryOnlyNotice>();

function summary(id: FormatId, name: string, marker: RegExp, minLines: number, exports: SummaryOnlyNotice["exports"]): TextFormat {
  const notice: SummaryOnlyNotice = {
    formatName: name,
    reason: `This is a ${name}: it names SIP messages but does not contain them, so there is nothing to diagnose. Export the trace with its full messages and analyse that.`,
    exports,
  };
  NOTICES.set(name, notice);
  return {
    id,
    name,
    detect: (lines) => (countMatches(lines, marker, minLines) >= minLines ? 12 : 0),
    create(out) {
      let reported = false;
      return {
        line(_text, _eol, lineNo) {
          if (reported) return;
          reported = true;
          const how = exports.flatMap((e) => (e.command ? [e.command] : [])).join("  or  ");
          out.problem(
            `line ${lineNo}`,
            `this is a ${name}, a summary that names SIP messages but does not contain them. Export the full messages: ${how}.`,
            "error",
          );
        },
        end: () => out.end(),
      };
    },
  };
}

export const summaries: TextFormat[] = [
  // Protocol column "SIP", "SIP/SDP", or "GTP <SIP>" when the SIP is inside a tunnel.
  summary("tshark-text", "tshark one-line summary", /^\s*\d+ +\S+(?: \S+)? +\S+ (?:→|->) \S+ +(?:SIP(?:\/\w+)?|\w+ <SIP(?:\/\w+)?>) +\d+ /, 1, TSHARK_EXPORTS),
  summary("tshark-text", "tshark -T fields", /^frame\.number\t|^\d+\t\d+\.\d+\t.*\t(?:INVITE|ACK|BYE|CANCEL|REGISTER|OPTIONS)?\t/, 1, TSHARK_EXPORTS),
  summary("sngrep", "sngrep call-flow screen", /^\s*\d\d:\d\d:\d\d\.\d+ +│|──────────┬─────────/, 1, SNGREP_EXPORTS),
  summary("sipp-trace", "SIPp -trace_shortmsg", /^\d{4}-\d\d-\d\d\t\d\d:\d\d:\d\d\.\d+\t\d+\.\d+\t[SR]\t/, 1, SIPP_EXPORTS),
];

/** What to say up front when the input was one of these summaries (by the detected format's name). */
export function summaryOnlyNotice(formatName: string): SummaryOnlyNotice | undefined {
  return NOTICES.get(formatName);
}
