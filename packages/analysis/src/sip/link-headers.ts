/**
 * Headers that tie the legs of one call together across a B2BUA or SBC that changes the Call-ID
 * (read by model/correlate): the other leg's Call-ID (X-CID, X-Call-ID, X-Orig-Call-ID), the
 * RFC 7989 Session-ID, and the IMS charging id (P-Charging-Vector icid-value, RFC 7315 §4.6).
 * Only the raw values are kept; what they mean is read where they are used.
 */
import type { ParsedSip } from "./types.js";

/**
 * Notes `value` when `name` (canonical: header-names.ts folds the case of these) is one of the link
 * headers; the first occurrence wins.
 */
export function noteLinkHeader(out: ParsedSip, name: string, value: string): void {
  switch (name) {
    case "X-CID":
    case "X-Call-ID":
    case "X-Orig-Call-ID":
    case "X-Original-Call-ID":
      out.otherCallId ??= value;
      return;
    case "Session-ID":
      out.sessionId ??= value;
      return;
    case "P-Charging-Vector":
      out.chargingVector ??= value;
  }
}

/** The icid-value parameter of a P-Charging-Vector (RFC 7315 §4.6), quotes removed; undefined when absent. */
export function icidOf(chargingVector: string | undefined): string | undefined {
  if (chargingVector === undefined) return undefined;
  const m = /(?:^|;)\s*icid-value\s*=\s*("([^"]*)"|[^;\s]+)/i.exec(chargingVector);
  const id = m ? (m[2] ?? m[1]) : undefined;
  return id ? id : undefined;
}
