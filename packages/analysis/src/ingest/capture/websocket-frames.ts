import { byteAt } from "../../access.js";
/** RFC 6455 frame reading: header, extended length, client masking. */

export type WsFrameResult =
  | { kind: "frame"; fin: boolean; opcode: number; compressed: boolean; payload: Uint8Array; length: number }
  | { kind: "incomplete" }
  | { kind: "invalid"; reason: string };

/** WebSocket messages carrying SIP are small; larger ones are damage (bounds memory). */
export const MAX_WS_PAYLOAD = 1024 * 1024;

export const WS_OPCODE = { CONTINUATION: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 } as const;

/** Read one frame at `start`; the payload is a fresh, unmasked copy. */
export function readWsFrame(d: Uint8Array, start: number, end: number): WsFrameResult {
  if (end - start < 2) return { kind: "incomplete" };
  const b0 = byteAt(d, start);
  const b1 = byteAt(d, start + 1);
  const opcode = b0 & 0x0f;
  if ((opcode > 2 && opcode < 8) || opcode > 10) return { kind: "invalid", reason: `unknown WebSocket opcode ${opcode}` };
  let len = b1 & 0x7f;
  let p = start + 2;
  if (len === 126) {
    if (end - p < 2) return { kind: "incomplete" };
    len = (byteAt(d, p) << 8) | byteAt(d, p + 1);
    p += 2;
  } else if (len === 127) {
    if (end - p < 8) return { kind: "incomplete" };
    if (d[p] !== 0 || d[p + 1] !== 0 || d[p + 2] !== 0 || byteAt(d, p + 3) & 0x80) return { kind: "invalid", reason: "WebSocket frame length too large" };
    len =
      byteAt(d, p + 2) * 2 ** 40 +
      byteAt(d, p + 3) * 2 ** 32 +
      (((byteAt(d, p + 4) << 24) | (byteAt(d, p + 5) << 16) | (byteAt(d, p + 6) << 8) | byteAt(d, p + 7)) >>> 0);
    p += 8;
  }
  if (len > MAX_WS_PAYLOAD) return { kind: "invalid", reason: `WebSocket frame of ${len} bytes exceeds ${MAX_WS_PAYLOAD}` };
  const masked = (b1 & 0x80) !== 0;
  const maskAt = p;
  if (masked) p += 4;
  if (end - p < len) return { kind: "incomplete" };
  const payload = d.slice(p, p + len);
  if (masked) for (let i = 0; i < len; i++) payload[i] = byteAt(payload, i) ^ byteAt(d, maskAt + (i & 3));
  return { kind: "frame", fin: (b0 & 0x80) !== 0, opcode, compressed: (b0 & 0x40) !== 0, payload, length: p + len - start };
}

/**
 * Does a WebSocket data frame carrying SIP start at `d[0]`? Lets a capture that begins after the
 * HTTP upgrade (or a stream that lost bytes) find its way into the frames.
 */
export function wsFrameCarriesSip(d: Uint8Array, looksLikeSip: (payload: Uint8Array) => boolean): boolean {
  const b0 = d[0];
  if (b0 === undefined || (b0 & 0x70) !== 0) return false; // RSV bits: no extensions
  const opcode = b0 & 0x0f;
  if (opcode !== WS_OPCODE.TEXT && opcode !== WS_OPCODE.BINARY) return false;
  const b1 = d[1] ?? 0;
  let p = 2 + ((b1 & 0x7f) === 126 ? 2 : (b1 & 0x7f) === 127 ? 8 : 0);
  const masked = (b1 & 0x80) !== 0;
  const maskAt = p;
  if (masked) p += 4;
  if (p >= d.length) return false;
  const preview = d.slice(p, Math.min(d.length, p + 4096));
  if (masked) for (let i = 0; i < preview.length; i++) preview[i] = byteAt(preview, i) ^ byteAt(d, maskAt + (i & 3));
  return looksLikeSip(preview);
}
