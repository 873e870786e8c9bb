/**
 * A SIP message as captured: the start line's Request-URI, every header by its grammar (folded
 * lines unfolded), and the body: SDP line by line, a message/sipfrag as a message, anything else
 * as free text with its long digit runs (numbers in XML or ISUP dumps) taken as numbers.
 */
import { canonicalHeaderName } from "../../sip/header-names.js";
import { redactFreeText } from "./free-text.js";
import { redactHeaderValue } from "./header.js";
import type { PseudonymBook } from "./pseudonym-book.js";
import { redactSdpLine } from "./sdp.js";
import { redactUri } from "./uri.js";
import { itemAt, present } from "../../access.js";

const REQUEST_LINE = /^([A-Za-z]+[ \t]+)(\S+)([ \t]+SIP\/\d\.\d\s*)$/;
const STATUS_LINE = /^SIP\/\d\.\d[ \t]+\d{3}/;
const HEADER_LINE = /^([!-9;-~]+)([ \t]*:)(.*)$/s;
const SDP_LINE = /^[a-z]=/;
const DIGIT_RUN = /(?<![\w.])\+?\d{5,}(?![\w.])/g;

/** Lines with their line ends ("\r\n", "\n" or none), so the text keeps its shape. */
function linesOf(text: string): { text: string; eol: string }[] {
  return text.split(/(?<=\n)/).map((l) => {
    const eol = l.endsWith("\r\n") ? "\r\n" : l.endsWith("\n") ? "\n" : "";
    return { text: l.slice(0, l.length - eol.length), eol };
  });
}

function redactStartLine(line: string, book: PseudonymBook): string {
  const request = REQUEST_LINE.exec(line);
  if (request) return `${request[1]}${redactUri(itemAt(request, 2), book)}${request[3]}`;
  return STATUS_LINE.test(line) ? line : redactFreeText(line, book);
}

function redactBodyLine(line: string, sdp: boolean, book: PseudonymBook): string {
  if (sdp && SDP_LINE.test(line)) return redactSdpLine(line, book);
  return redactFreeText(line, book).replace(DIGIT_RUN, (n) => book.of("user", n));
}

export function redactSipText(raw: string, book: PseudonymBook): string {
  const lines = linesOf(raw);
  const out: string[] = [];
  let i = 0;
  while (i < lines.length && itemAt(lines, i).text.trim() === "") out.push(itemAt(lines, i).text + itemAt(lines, i++).eol);
  if (i < lines.length) out.push(redactStartLine(itemAt(lines, i).text, book) + itemAt(lines, i++).eol);
  let contentType = "";
  while (i < lines.length && itemAt(lines, i).text.trim() !== "") {
    // A header and its folded continuation lines are one value.
    let text = itemAt(lines, i).text;
    let eol = itemAt(lines, i++).eol;
    while (i < lines.length && /^[ \t]/.test(itemAt(lines, i).text)) {
      text += ` ${itemAt(lines, i).text.trim()}`;
      eol = itemAt(lines, i++).eol;
    }
    const header = HEADER_LINE.exec(text);
    if (!header) {
      out.push(redactFreeText(text, book) + eol);
      continue;
    }
    const name = itemAt(header, 1);
    if (canonicalHeaderName(name) === "Content-Type") contentType = itemAt(header, 3).trim().toLowerCase();
    out.push(`${name}${header[2]}${redactHeaderValue(name, itemAt(header, 3), book)}${eol}`);
  }
  const bodyLines = lines.slice(i);
  const body = bodyLines.map((l) => l.text + l.eol).join("");
  if (contentType.startsWith("message/sipfrag") && body.trim()) {
    const lead = present(/^\s*/.exec(body))[0];
    return out.join("") + lead + redactSipText(body.slice(lead.length), book);
  }
  // Multipart bodies carry SDP parts too: x= lines read as SDP wherever SDP may be.
  const sdp = contentType === "" || contentType.startsWith("application/sdp") || contentType.startsWith("multipart/");
  for (const l of bodyLines) out.push(redactBodyLine(l.text, sdp, book) + l.eol);
  return out.join("");
}
