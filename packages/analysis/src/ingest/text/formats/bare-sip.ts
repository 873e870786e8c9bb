/**
 * SIP messages pasted back to back (CRLF or LF, blank lines between or not), split by start lines
 * and Content-Length. When every message line carries the same log prefix
 * ("Nov 26 03:44:37 host proxy[123]: INVITE sip:…"), the prefix is learnt from the sample and
 * stripped; a date or time in it becomes the message time. Trailing spaces and tabs are removed
 * from every line. No addresses: src/dst stay null.
 */
import { NO_META } from "../assembler.js";
import { findEmbeddedSipStart, isSipStartLine } from "../sip-start.js";
import { parseMonthDayTime, parseYmdHms } from "../time.js";
import type { LineEnd } from "../line-reader.js";
import { type TextFormat } from "./format.js";
import { present } from "../../../access.js";

const CALL_ID = /^(?:call-id|i)[ \t]*:/i;
const CSEQ = /^cseq[ \t]*:/i;

/** The prefix shape: regex-escaped, digit runs generalised. */
function shapeOf(prefix: string): string {
  return prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\d+/g, "\\d+");
}

/** A log prefix that precedes the start lines of the sample, or null. */
function learnPrefix(lines: readonly string[]): RegExp | null {
  const counts = new Map<string, number>();
  let bare = 0;
  for (const l of lines) {
    if (isSipStartLine(l)) {
      bare++;
      continue;
    }
    const at = findEmbeddedSipStart(l);
    if (at > 0) {
      const shape = shapeOf(l.slice(0, at));
      counts.set(shape, (counts.get(shape) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  for (const [shape, n] of counts) if (best === null || n > present(counts.get(best))) best = shape;
  // A start line quoted inside a header or body is not a log prefix: the prefix must be the rule.
  return best === null || present(counts.get(best)) <= bare ? null : new RegExp(`^${best}`);
}

/** True when the sample holds a SIP message: a start line, a Call-ID and a CSeq (prefixed or not). */
function hasMessage(lines: readonly string[]): boolean {
  const prefix = learnPrefix(lines);
  const strip = (l: string) => (prefix ? l.replace(prefix, "") : l);
  let start = false,
    callId = false,
    cseq = false;
  for (const raw of lines) {
    const l = strip(raw);
    start ||= isSipStartLine(l);
    callId ||= CALL_ID.test(l);
    cseq ||= CSEQ.test(l);
    if (start && callId && cseq) return true;
  }
  return false;
}

/** Lines (and characters) held back to learn the prefix before anything is framed. */
const LEARN_LINES = 2000;
const LEARN_CHARS = 256 * 1024;

type Held = [text: string, eol: LineEnd, lineNo: number];

export const bareSip: TextFormat = {
  id: "sip",
  name: "SIP messages (plain text)",
  detect: (lines) => (hasMessage(lines) ? 5 : 0),
  create(out) {
    let prefix: RegExp | null = null;
    let learnt = false;
    let heldChars = 0;
    const held: Held[] = [];
    const feed = (text: string, eol: LineEnd, lineNo: number) => {
      const m = prefix?.exec(text);
      // Spaces left at line ends by pasting mean nothing in SIP (and would hide the blank line).
      const rest = (m ? text.slice(m[0].length) : text).replace(/[ \t]+$/, "");
      if (m && isSipStartLine(rest)) out.setMeta({ ...NO_META, time: parseYmdHms(m[0]) ?? parseMonthDayTime(m[0]) });
      out.line(rest, eol, lineNo);
    };
    const release = () => {
      prefix = learnPrefix(held.map((h) => h[0]));
      learnt = true;
      for (const [t, e, n] of held) feed(t, e, n);
      held.length = 0;
    };
    return {
      line(text, eol, lineNo) {
        if (learnt) return feed(text, eol, lineNo);
        held.push([text, eol, lineNo]);
        heldChars += text.length;
        if (held.length >= LEARN_LINES || heldChars >= LEARN_CHARS) release();
      },
      end() {
        if (!learnt) release();
        out.end();
      },
    };
  },
};
