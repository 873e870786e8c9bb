import type { CallDx } from "../calls.js";
import type { Draft } from "../facts.js";
import { endpointText, is2xx, sdpConnections, sentBy, type DxMsg } from "../input.js";

const PRIVATE_V4 = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];

function isPrivateAddress(ip: string): boolean {
  return PRIVATE_V4.some((r) => r.test(ip)) || /^f[cd][0-9a-f]{2}:/i.test(ip);
}

function isPublicAddress(ip: string): boolean {
  if (isPrivateAddress(ip)) return false;
  return !/^(127\.|169\.254\.|0\.|::1$|fe80:)/i.test(ip);
}

function hostOf(uri: string): string | undefined {
  return /@?(\d{1,3}(?:\.\d{1,3}){3})/.exec(uri)?.[1];
}

/** Body length differs from Content-Length by more than line-ending normalisation can explain. */
function contentLengthBroken(m: DxMsg): boolean {
  if (m.contentLength == null || m.contentLength === 0 || m.bodyLength === 0) return false;
  const diff = Math.abs(m.contentLength - m.bodyLength);
  return diff > Math.max(16, m.contentLength * 0.1);
}

/** The call's initial INVITE got a 2xx somewhere in the trace. */
function answered(call: CallDx): boolean {
  return call.trees.some((t) => !t.inDialog && t.legs.some((l) => l.responses.some(is2xx)));
}

function sig(m: DxMsg): string {
  return `${m.isRequest ? m.method : m.status}|${m.cseqSeq}|${m.cseqMethod}|${m.vias[0]?.branch ?? ""}|${m.vias.length}`;
}

function pairOf(m: DxMsg): string | undefined {
  return m.src && m.dst ? `${m.src.ip}>${m.dst.ip}` : undefined;
}

/**
 * Signs that a middlebox (SIP ALG, NAT, SBC) rewrote or broke SIP in transit. Only what the
 * trace itself shows; `problemCall` widens the NAT check to calls that already failed.
 */
export function diagnoseAlg(call: CallDx, problemCall: boolean): Draft[] {
  const reasons: string[] = [];
  const evidence = new Set<number>();
  // A body longer or shorter than declared, on a call that was answered all the same, is a sloppy
  // sender, not a sign of a middlebox: the parser lists it among the message problems instead.
  const lengthSigns: { reason: string; index: number }[] = [];
  const seen = new Map<string, DxMsg>();
  for (const m of call.messages) {
    // The same message (same branch, CSeq, hop depth) seen at two capture points with different SIP
    // content. Only messages an ALG rewrites (Contact, SDP) are compared: INVITEs and their answers.
    const rewritable = m.isRequest ? m.method === "INVITE" : m.cseqMethod === "INVITE" && m.status !== 100;
    const s = rewritable ? sig(m) : undefined;
    const first = s ? seen.get(s) : undefined;
    const pair = pairOf(m);
    if (s && !first) seen.set(s, m);
    else if (first && pair && pairOf(first) && pair !== pairOf(first)) {
      const diffs: string[] = [];
      if (sentBy(first.vias[0]) !== sentBy(m.vias[0])) diffs.push("Via");
      if (first.contacts.map((c) => c.uri).join() !== m.contacts.map((c) => c.uri).join()) diffs.push("Contact");
      if (sdpConnections(first).join() !== sdpConnections(m).join()) diffs.push("SDP c=");
      if (diffs.length) {
        reasons.push(
          `the same ${m.isRequest ? m.method : m.status} was seen at two points (${pairOf(first)} and ${pair}) with a different ${diffs.join(", ")}`,
        );
        evidence.add(first.index).add(m.index);
      }
    }
    if (m.transport === "udp" && m.src && contentLengthBroken(m)) {
      lengthSigns.push({
        reason: `the ${m.isRequest ? m.method : m.status} (message ${m.index}) says Content-Length ${m.contentLength} but carries a ${m.bodyLength}-byte body`,
        index: m.index,
      });
    }
    if (problemCall && m.src && isPublicAddress(m.src.ip)) {
      const priv = [...m.contacts.map((c) => hostOf(c.uri)), ...sdpConnections(m)].find((h) => h && isPrivateAddress(h));
      if (priv) {
        reasons.push(`${endpointText(m.src)} (public) sends a private address ${priv} in Contact/SDP`);
        evidence.add(m.index);
      }
    }
  }
  for (const c of call.strayCancels) {
    const inv = call.trees.flatMap((t) => t.legs).find((l) => l.cseqSeq === c.cseqSeq && l.invite.src?.ip === c.src?.ip && l.invite.dst?.ip === c.dst?.ip);
    if (inv && inv.invite.vias[0]?.branch !== c.vias[0]?.branch) {
      reasons.push(`the CANCEL's Via branch differs from its INVITE's on the same hop`);
      evidence.add(c.index).add(inv.invite.index);
    }
  }
  if (reasons.length || !answered(call)) {
    for (const l of lengthSigns) {
      reasons.push(l.reason);
      evidence.add(l.index);
    }
  }
  if (!reasons.length) return [];
  const unique = [...new Set(reasons)];
  return [
    {
      code: "alg-suspect",
      severity: "warning",
      title: "A middlebox may be rewriting SIP",
      explanation: `${unique.slice(0, 3).join("; ")}. A SIP ALG or NAT in the path changes or breaks messages; check for an ALG on the firewall/router (turn it off for SIP) and compare the messages on both sides of it.`,
      evidence: [...evidence].sort((a, b) => a - b),
      rfc: ["RFC 3261 §18.2.1", "RFC 3261 §20.14", "RFC 6314"],
      confidence: unique.length > 1 ? 0.7 : 0.5,
      callIds: [call.callId],
      details: { signs: unique },
    },
  ];
}
