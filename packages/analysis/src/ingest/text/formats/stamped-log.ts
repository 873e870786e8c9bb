/**
 * The shape shared by single-endpoint logs that print a timestamp line, then a line saying
 * whether the message was sent or received, then the message (SIPp -trace_msg, Cisco ccsip).
 */
import type { BlockMeta, MessageAssembler } from "../assembler.js";
import type { LineParser } from "./format.js";

export interface StampedLogShape {
  /** The time of a timestamp line (null when unreadable), or undefined when it is not one. */
  stamp(text: string): number | null | undefined;
  /** What a direction line says, or null when it is not one. */
  direction(text: string): Pick<BlockMeta, "direction" | "transport"> | null;
}

export function createStampedLogParser(out: MessageAssembler, shape: StampedLogShape): LineParser {
  let time: number | null = null;
  return {
    line(text, eol, lineNo) {
      const stamp = shape.stamp(text);
      if (stamp !== undefined) {
        out.endBlock();
        time = stamp;
        return;
      }
      const dir = shape.direction(text);
      if (dir) out.startBlock({ time, src: null, dst: null, ...dir });
      else out.line(text, eol, lineNo);
    },
    end: () => out.end(),
  };
}
