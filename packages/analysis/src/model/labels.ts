import type { ParsedSip } from "../sip/types.js";

/** Arrow label for a ladder: "INVITE", "180 Ringing", "200 OK (CANCEL)" when a 2xx answers a non-INVITE. */
export function messageLabel(sip: ParsedSip): string {
  if (sip.kind === "request") return sip.method ?? "?";
  const status = sip.status ?? 0;
  const phrase = sip.reasonPhrase ? ` ${sip.reasonPhrase}` : "";
  const cseqMethod = sip.cseq?.method;
  // Read the CSeq method, never the status alone: two 200 OKs may answer a CANCEL and an INVITE.
  const suffix = cseqMethod && cseqMethod !== "INVITE" ? ` (${cseqMethod})` : "";
  return `${status}${phrase}${suffix}`;
}
