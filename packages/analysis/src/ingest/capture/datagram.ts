import { frameSipMessage, looksLikeSipStart, skipLineBreaks } from "../../sip/framing.js";
import type { SipEmitter, WireContext } from "./sip-emitter.js";

/**
 * SIP in one datagram (UDP, or a HEP payload): normally one message; several only when
 * Content-Length ends one and another start line follows. Without Content-Length, or when what
 * follows is not SIP, the rest of the datagram is the body (RFC 3261 §18.3), so the parser can
 * still compare Content-Length with the real body.
 */
export function emitDatagram(d: Uint8Array, ctx: WireContext, out: SipEmitter): number {
  let pos = skipLineBreaks(d, 0);
  let count = 0;
  while (pos < d.length && looksLikeSipStart(d, pos)) {
    const f = frameSipMessage(d, pos, d.length, { final: true });
    let end = d.length;
    if (f.kind === "message" && f.contentLength !== null && f.end < d.length) {
      const next = skipLineBreaks(d, f.end);
      if (next < d.length && looksLikeSipStart(d, next)) end = f.end;
    }
    out.message(d.subarray(pos, end), ctx);
    count++;
    pos = skipLineBreaks(d, end);
  }
  return count;
}
