/**
 * Headers that tie the legs of one call together across a B2BUA or SBC that changes the Call-ID
 * (read by model/correlate): the other leg's Call-ID (X-CID, X-Call-ID, X-Orig-Call-ID), the
 * RFC 7989 Session-ID, and the IMS charging id (P-Charging-Vector icid-value, RFC 7315 §4.6).
 * Only the raw values are kept; what they mean is read where they are used.
 */
import type { ParsedSip } from "./types.js";

const OTHER_CALL_ID = new Set(["x-cid", "x-call-id", "x-orig-call-id", "x-original-call-id"]);

/** Notes `value` when `name` is one of the link headers (the first occurrence wins). */
export function noteLinkHeader(out: ParsedSip, name: string, value: string): void {
  // Most headers start with another letter: skip them without lower-casing the name.
  const c = name.charCodeAt(0) | 0x20;
  if (c !== 0x78 && c !== 0x73 && c !== 0x70) return; // x s p
  const lower = name.toLowerCase();
  if (OTHER_CALL_ID.has(lower)) out.otherCallId ??= value;
  else if (lower === "session-id") out.sessionId ??= value;
  else if (lower === "p-charging-vector") out.chargingVector ??= value;
}

/** The icid-value parameter of a P-Charging-Vector (RFC 7315 §4.6), quotes removed; undefined when absent. */
export function icidOf(chargingVector: string | undefined): string | undefined {
  if (chargingVector === undefined) return undefined;
  const m = /(?:^|;)\s*icid-value\s*=\s*("([^"]*)"|[^;\s]+)/i.exec(chargingVector);
  const id = m ? (m[2] ?? m[1]) : undefined;
  return id ? id : undefined;
}
