/**
 * One-line-per-message summaries. They name messages but do not carry them, so they are
 * recognised only to say so clearly instead of producing a wrong analysis.
 */
import type { FormatId } from "@siplens/contracts";
import { countMatches, type TextFormat } from "./format.js";

function summary(id: FormatId, name: string, marker: RegExp, minLines: number): TextFormat {
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
          out.problem(
            `line ${lineNo}`,
            `this is a ${name}, a summary that names SIP messages but does not contain them. Paste the full messages (e.g. tshark -V or sngrep "save as text") or upload the capture.`,
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
  summary("tshark-text", "tshark one-line summary", /^\s*\d+ +\S+(?: \S+)? +\S+ (?:→|->) \S+ +(?:SIP(?:\/\w+)?|\w+ <SIP(?:\/\w+)?>) +\d+ /, 1),
  summary("tshark-text", "tshark -T fields", /^frame\.number\t|^\d+\t\d+\.\d+\t.*\t(?:INVITE|ACK|BYE|CANCEL|REGISTER|OPTIONS)?\t/, 1),
  summary("sngrep", "sngrep call-flow screen", /^\s*\d\d:\d\d:\d\d\.\d+ +│|──────────┬─────────/, 1),
  summary("sipp-trace", "SIPp -trace_shortmsg", /^\d{4}-\d\d-\d\d\t\d\d:\d\d:\d\d\.\d+\t\d+\.\d+\t[SR]\t/, 1),
];
