/**
 * Packet dumps (ngrep, tcpdump -A) print each packet's payload on its own, so a TCP segment can end
 * in the middle of a line. This joins payloads per flow: every complete line goes to the assembler,
 * the unfinished last one waits for the flow's next segment. Datagrams are complete as they are.
 */
import { flowKey, type BlockMeta, type MessageAssembler } from "./assembler.js";
import type { LineEnd } from "./line-reader.js";
import { present } from "../../access.js";

/** How a printed payload line maps back to the wire: its text and the line end it stood for. */
export type LineRestorer = (printed: string) => [text: string, eol: LineEnd];

interface Pending {
  text: string;
  meta: BlockMeta;
  lineNo: number;
}

export class PacketLineJoiner {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly out: MessageAssembler,
    private readonly restore: LineRestorer,
  ) {}

  /**
   * One packet's payload as printed (lines separated by LF), for the block just started with `meta`;
   * `firstLine` is the input line where the payload begins. `splitCrLf`: the payload begins with the
   * LF of a CRLF whose CR ended the flow's previous segment (and was printed there as ".").
   */
  payload(meta: BlockMeta, text: string, firstLine: number, splitCrLf = false): void {
    const stream = meta.transport === "tcp" && meta.src !== null && meta.dst !== null;
    const key = flowKey(meta);
    let carried = stream ? (this.pending.get(key)?.text ?? "") : "";
    if (splitCrLf && carried.endsWith(".")) carried = carried.slice(0, -1) + "\r";
    const lines = (carried + text).split("\n");
    const last = present(lines.pop());
    lines.forEach((printed, i) => this.emit(printed.endsWith("\r") ? [printed.slice(0, -1), "\r\n"] : this.restore(printed), firstLine + i));
    const lastLine = firstLine + lines.length;
    if (stream) this.pending.set(key, { text: last, meta, lineNo: lastLine });
    else if (last !== "") this.emit([this.restore(last)[0], ""], lastLine);
  }

  /** End of input: lines still waiting for their segment's end are delivered as they are. */
  end(): void {
    for (const { text, meta, lineNo } of this.pending.values()) {
      if (text === "") continue;
      this.out.startBlock(meta, true);
      this.emit([this.restore(text)[0], ""], lineNo);
    }
    this.pending.clear();
  }

  private emit([text, eol]: [string, LineEnd], lineNo: number): void {
    this.out.line(text, eol, lineNo);
  }
}
