/** What every text format module provides. */
import type { FormatId } from "@siplens/contracts";
import type { MessageAssembler } from "../assembler.js";
import type { LineEnd } from "../line-reader.js";

export interface LineParser {
  line(text: string, eol: LineEnd, lineNo: number): void;
  end(): void;
}

export interface TextFormat {
  id: FormatId;
  /** Human name, unique across formats; also what DetectedFormat.name carries. */
  name: string;
  /**
   * How sure we are that the sample (first lines of the input, line ends removed) is this format:
   * 0 = not it; a format-specific marker scores 10 or more; plain SIP scores low.
   */
  detect(lines: readonly string[]): number;
  create(out: MessageAssembler): LineParser;
}

/** Number of sample lines matching `re`. */
export function countMatches(lines: readonly string[], re: RegExp, limit = Infinity): number {
  let n = 0;
  for (const l of lines) if (re.test(l) && ++n >= limit) break;
  return n;
}
