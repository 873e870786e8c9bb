/**
 * Cuts SIP messages out of a sequence of text lines. A message starts at a request/status line,
 * its headers end at the first blank line, and its body ends when Content-Length bytes have been
 * seen (read with the shared Content-Length reader of sip/framing), at the next start line when
 * the length is absent, or when the caller flushes (end of a datagram block).
 *
 * Pasted text often lost its CRs; a message whose start line ended in a bare LF is assumed to
 * have been CRLF on the wire, so each LF counts as two bytes against Content-Length.
 */
import { readContentLength, utf8Length } from "../../sip/framing.js";
import { isSipStartLine } from "./sip-start.js";
import type { LineEnd } from "./line-reader.js";
import { itemAt } from "../../access.js";

export interface FramedMessage<C> {
  text: string;
  /** Input line of the start line. */
  line: number;
  /** Context given with the start line (block metadata). */
  context: C;
  /** Set when the message ends before its headers or its declared body do. */
  cut?: string;
  /** Set when the text was repaired on the way (a missing blank line before the body). */
  repaired?: string;
}

/** A message larger than this is not buffered further: it is delivered cut. */
const MAX_MESSAGE_CHARS = 1024 * 1024;

type State = "idle" | "headers" | "body";

const CONTENT_TYPE = /^(?:content-type|c)[ \t]*:[ \t]*([^;]*)/i;

/** The first SDP line ("v=0"): never a SIP header. */
const SDP_LINE = /^v=\d/;

const isBlank = (text: string) => text.length === 0 || text.trim().length === 0;

/** A header line as bytes for the shared byte-level Content-Length reader (its value is ASCII). */
let scratch = new Uint8Array(256);
function latin1Bytes(line: string): Uint8Array {
  if (line.length > scratch.length) scratch = new Uint8Array(line.length * 2);
  for (let i = 0; i < line.length; i++) scratch[i] = line.charCodeAt(i) & 0xff;
  return scratch.subarray(0, line.length);
}

export class LineMessageFramer<C> {
  private state: State = "idle";
  private parts: string[] = [];
  private chars = 0;
  private startLine = 0;
  private context!: C;
  private lfOnly = false;
  private contentLength: number | null = null;
  private bodyBytes = 0;
  private embedsMessages = false;
  private repaired: string | undefined;

  constructor(private readonly onMessage: (m: FramedMessage<C>) => void) {}

  /** True while a message has started and not yet been delivered. */
  get busy(): boolean {
    return this.state !== "idle";
  }

  line(text: string, eol: LineEnd, lineNo: number, context: C): void {
    if (this.state === "idle") {
      if (isSipStartLine(text)) this.begin(text, eol, lineNo, context);
      return;
    }
    if (this.state === "headers") {
      if (isBlank(text)) {
        this.append("", eol); // pasted text often keeps trailing spaces on the separator line
        this.enterBody();
      } else if (isSipStartLine(text)) {
        this.flushHeaders("the next message starts before the blank line that ends the headers");
        this.begin(text, eol, lineNo, context);
      } else if (SDP_LINE.test(text)) {
        // Web pages and some router consoles drop the empty line before an SDP body.
        this.repaired = `no blank line between headers and body; one was assumed before line ${lineNo}`;
        this.append("", this.lfOnly ? "\n" : "\r\n");
        this.enterBody();
        if (this.busy) this.line(text, eol, lineNo, context);
        return;
      } else {
        this.append(text, eol);
      }
    } else if (isSipStartLine(text) && !this.embedsMessages) {
      // A new message: the previous one's body was shorter than declared (or undeclared).
      this.deliver(this.shortBody());
      this.begin(text, eol, lineNo, context);
      return;
    } else {
      this.append(text, eol);
      this.bodyBytes += utf8Length(text) + (eol === "" ? 0 : eol === "\n" && !this.lfOnly ? 1 : 2);
      if (this.contentLength !== null && this.bodyBytes >= this.contentLength) this.deliver(undefined);
    }
    if (this.busy && this.chars > MAX_MESSAGE_CHARS) {
      this.deliver(`message is larger than ${MAX_MESSAGE_CHARS} characters; the rest is skipped`);
    }
  }

  /** End of a block (datagram) or of the input: delivers what has started. */
  flush(): void {
    if (this.state === "headers") this.flushHeaders("the input ends inside the message headers (no blank line after them)");
    else if (this.state === "body") this.deliver(this.shortBody());
  }

  /**
   * The block ended before the blank line. With "Content-Length: 0" only the final empty line is
   * missing (logs drop it): the message is complete. Otherwise it may have been cut.
   */
  private flushHeaders(cut: string): void {
    this.readHeaders();
    if (this.contentLength !== 0) {
      this.deliver(cut);
      return;
    }
    const lastEol = this.parts[this.parts.length - 1] as LineEnd;
    if (lastEol === "") this.parts[this.parts.length - 1] = this.lfOnly ? "\n" : "\r\n";
    this.append("", this.lfOnly ? "\n" : "\r\n");
    this.deliver(undefined);
  }

  private shortBody(): string | undefined {
    if (this.contentLength === null || this.bodyBytes >= this.contentLength) return undefined;
    return `the body has ${this.bodyBytes} of the ${this.contentLength} bytes its Content-Length declares`;
  }

  private begin(text: string, eol: LineEnd, lineNo: number, context: C): void {
    this.state = "headers";
    this.parts = [];
    this.chars = 0;
    this.startLine = lineNo;
    this.context = context;
    this.lfOnly = eol === "\n";
    this.contentLength = null;
    this.bodyBytes = 0;
    this.repaired = undefined;
    this.append(text, eol);
  }

  private append(text: string, eol: LineEnd): void {
    this.parts.push(text, eol);
    this.chars += text.length + eol.length;
  }

  /** Without Content-Length, blank lines before the next message are separators, not body. */
  private dropTrailingBlankLines(): void {
    const p = this.parts;
    while (p.length > 2 && p[p.length - 2] === "" && p[p.length - 4] === "") p.length -= 2;
  }

  /** Reads Content-Length and Content-Type from the header lines (only those starting with c/l are looked at). */
  private readHeaders(): void {
    this.contentLength = null;
    this.embedsMessages = false;
    let lengthFound = false;
    for (let i = 2; i < this.parts.length; i += 2) {
      const line = itemAt(this.parts, i);
      const c = line.charCodeAt(0) | 0x20;
      if (c !== 0x63 && c !== 0x6c) continue; // c, l
      if (!lengthFound) {
        const bytes = latin1Bytes(line);
        const reading = readContentLength(bytes, 0, bytes.length);
        if (reading.value !== null || reading.invalid !== undefined) {
          this.contentLength = reading.value;
          lengthFound = true;
          continue;
        }
      }
      const type = CONTENT_TYPE.exec(line);
      if (type) this.embedsMessages = /^message\//i.test(itemAt(type, 1).trim());
    }
  }

  private enterBody(): void {
    this.readHeaders();
    this.state = "body";
    if (this.contentLength === 0) this.deliver(undefined);
  }

  private deliver(cut: string | undefined): void {
    if (this.state === "body" && this.contentLength === null) this.dropTrailingBlankLines();
    const m: FramedMessage<C> = { text: this.parts.join(""), line: this.startLine, context: this.context };
    if (cut !== undefined) m.cut = cut;
    if (this.repaired !== undefined) m.repaired = this.repaired;
    this.state = "idle";
    this.parts = [];
    this.chars = 0;
    this.onMessage(m);
  }
}
