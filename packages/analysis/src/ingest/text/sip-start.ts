/** Recognising SIP start lines inside text (string counterpart of the byte checks used for captures). */

// RFC 3261 token for the method; the Request-URI is any run of non-space characters.
const REQUEST_LINE = /^[A-Za-z][A-Za-z0-9.!%*_+`'~-]{0,31} \S+ SIP\/2\.0\s*$/;
const STATUS_LINE = /^SIP\/2\.0 \d{3}(?: .*)?$/;

export function isSipStartLine(line: string): boolean {
  const first = line.charCodeAt(0);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return false;
  if (line.startsWith("SIP/2.0 ")) return STATUS_LINE.test(line);
  const last = line.charCodeAt(line.length - 1);
  const end = last === 0x20 || last === 0x09 ? line.trimEnd() : line;
  return end.endsWith(" SIP/2.0") && REQUEST_LINE.test(line);
}

// Where a start line begins inside a line that carries junk before it (tcpdump -A header bytes,
// log prefixes). Methods are listed so that junk letters glued to the method are not taken as part of it.
const EMBEDDED_START =
  /(?:INVITE|ACK|BYE|CANCEL|OPTIONS|REGISTER|PRACK|SUBSCRIBE|NOTIFY|PUBLISH|INFO|REFER|MESSAGE|UPDATE) \S+ SIP\/2\.0\s*$|SIP\/2\.0 \d{3}\b.*$/;

/** Offset of a SIP start line that ends this line, or -1. */
export function findEmbeddedSipStart(line: string): number {
  const found = EMBEDDED_START.exec(line);
  return found ? found.index : -1;
}
