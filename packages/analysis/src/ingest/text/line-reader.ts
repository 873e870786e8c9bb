/**
 * Bytes in, text lines out: decodes UTF-8 incrementally (a multi-byte character may straddle two
 * chunks) and splits on LF, remembering whether each line ended in CRLF. Memory is bounded by the
 * longest line, and a runaway "line" (binary junk without LF) is cut at MAX_LINE_CHARS.
 */

export type LineEnd = "\r\n" | "\n" | "";

/** Called once per line; lineNo is 1-based. eol is "" only for a last line without a break. */
export type LineHandler = (text: string, eol: LineEnd, lineNo: number) => void;

const MAX_LINE_CHARS = 256 * 1024;

export interface LineReader {
  push(chunk: Uint8Array): void;
  end(): void;
}

export function createLineReader(onLine: LineHandler): LineReader {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let pending = "";
  let lineNo = 0;

  const emit = (raw: string, hadLf: boolean) => {
    lineNo++;
    if (hadLf && raw.endsWith("\r")) {
      // "\r\r\n" comes from CRLF text converted to CRLF once more (unix2dos, Windows editors).
      let end = raw.length - 1;
      while (end > 0 && raw.charCodeAt(end - 1) === 0x0d) end--;
      onLine(raw.slice(0, end), "\r\n", lineNo);
    } else onLine(raw, hadLf ? "\n" : "", lineNo);
  };

  const consume = (text: string, final: boolean) => {
    let buf = pending + text;
    let from = 0;
    for (let lf = buf.indexOf("\n", from); lf !== -1; lf = buf.indexOf("\n", from)) {
      emit(buf.slice(from, lf), true);
      from = lf + 1;
    }
    buf = buf.slice(from);
    while (buf.length > MAX_LINE_CHARS) {
      emit(buf.slice(0, MAX_LINE_CHARS), false);
      buf = buf.slice(MAX_LINE_CHARS);
    }
    if (final && buf.length > 0) {
      emit(buf, false);
      buf = "";
    }
    pending = buf;
  };

  return {
    push(chunk) {
      consume(decoder.decode(chunk, { stream: true }), false);
    },
    end() {
      consume(decoder.decode(), true);
    },
  };
}
