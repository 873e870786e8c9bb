/**
 * Text traces: detection and streaming readers for SIP as people paste it.
 * `detectTextFormat` looks at the first ~64 KB; `createTextIngestor` reads the whole input push by
 * push, line by line, with memory bounded by the message being assembled.
 */
import type { DetectedFormat, IngestSink, Ingestor } from "../types.js";
import { MessageAssembler } from "./assembler.js";
import { createLineReader } from "./line-reader.js";
import { asteriskChanSip, asteriskPjsip } from "./formats/asterisk.js";
import { bareSip } from "./formats/bare-sip.js";
import { ciscoCcsip } from "./formats/cisco.js";
import type { TextFormat } from "./formats/format.js";
import { freeswitch } from "./formats/freeswitch.js";
import { kamailioSipdump } from "./formats/kamailio-sipdump.js";
import { ngrep, sipgrep } from "./formats/ngrep.js";
import { sipp } from "./formats/sipp.js";
import { sngrep } from "./formats/sngrep.js";
import { summaries } from "./formats/summaries.js";
import { tcpdump } from "./formats/tcpdump.js";
import { tsharkVerbose } from "./formats/tshark-verbose.js";

/** Every text format, most specific first (ties go to the earlier one). */
export const TEXT_FORMATS: readonly TextFormat[] = [
  kamailioSipdump,
  sipp,
  tsharkVerbose,
  asteriskPjsip,
  asteriskChanSip,
  freeswitch,
  ciscoCcsip,
  ngrep,
  sipgrep,
  sngrep,
  tcpdump,
  ...summaries,
  bareSip,
];

/** Human names of the text formats, for "not a trace: tried …" messages. */
export const TEXT_FORMAT_NAMES: readonly string[] = TEXT_FORMATS.map((f) => f.name);

const SAMPLE_LINES = 4000;

export function detectTextFormat(sample: string): DetectedFormat | null {
  const lines = sample.split("\n", SAMPLE_LINES).map((l) => l.replace(/\r$/, ""));
  let best: TextFormat | null = null;
  let bestScore = 0;
  for (const f of TEXT_FORMATS) {
    const score = f.detect(lines);
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best ? { format: best.id, name: best.name } : null;
}

export function createTextIngestor(format: DetectedFormat, sink: IngestSink): Ingestor {
  const chosen = TEXT_FORMATS.find((f) => f.name === format.name) ?? TEXT_FORMATS.find((f) => f.id === format.format) ?? bareSip;
  const parser = chosen.create(new MessageAssembler(sink));
  const reader = createLineReader((text, eol, lineNo) => parser.line(text, eol, lineNo));
  return {
    push(chunk) {
      reader.push(chunk);
    },
    end() {
      reader.end();
      parser.end();
    },
  };
}
