import { looksLikeSipStart } from "./sip-start.js";
import { frameSipMessage, skipLineEnds } from "./sip-framing.js";
import type { SipEmitter, WireContext } from "./sip-emitter.js";

/**
 * SIP in one datagram (UDP, or a HEP payload): normally one message; several only when
 * Content-Length ends one and another start line follows. Without Content-Length, or when what
 * follows is not SIP, the rest of the datagram is the body (RFC 3261 §18.3), so the parser can
 * still compare Content-Length with the real body.
 */
export function emitDatagram(d: Uint8Array, ctx: WireContext, out: SipEmitter): number {
  let pos = skipLineEnds(d, 0, d.length);
  let count = 0;
  while (pos < d.length && looksLikeSipStart(d, pos, d.length)) {
    const f = frameSipMessage(d, pos, d.length);
    let end = d.length;
    if (f.kind === "complete" && f.bodyKnown) {
      const next = skipLineEnds(d, pos + f.length, d.length);
      if (next < d.length && looksLikeSipStart(d, next, d.length)) end = pos + f.length;
    }
    out.message(d.subarray(pos, end), ctx);
    count++;
    pos = skipLineEnds(d, end, d.length);
  }
  return count;
}
