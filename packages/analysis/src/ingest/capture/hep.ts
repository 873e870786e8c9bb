import { decompressSync } from "fflate";
import type { Transport } from "@siplens/contracts";
import { ipv4ToString, ipv6ToString } from "./ip-address.js";
import { emitDatagram } from "./datagram.js";
import { looksLikeSipStart } from "../../sip/framing.js";
import type { SipEmitter } from "./sip-emitter.js";
import { byteAt } from "../../access.js";

/** HEP "protocol type" of SIP; other payload types (RTCP, logs…) are skipped. */
const HEP_PROTO_SIP = 1;

/** What a HEP v3 packet says about the SIP message it carries. */
interface HepPacket {
  src: { ip: string; port: number | null } | null;
  dst: { ip: string; port: number | null } | null;
  time: number | null;
  transport: Transport;
  /** 1 = SIP; other payload types (RTCP, logs…) are skipped by the caller. */
  payloadType: number | null;
  payload: Uint8Array | null;
}

export function isHep3(d: Uint8Array, at = 0): boolean {
  return d[at] === 0x48 && d[at + 1] === 0x45 && d[at + 2] === 0x50 && d[at + 3] === 0x33; // "HEP3"
}

/**
 * HEP v1/v2 (older Kamailio/OpenSIPS): version, header length (16 for IPv4, 40 for IPv6), family,
 * protocol, ports, addresses; v2 then has a time header (seconds, microseconds in host byte order,
 * capture id, padding) before the payload.
 */
export function isHep2(d: Uint8Array): boolean {
  return (d[0] === 1 || d[0] === 2) && ((d[1] === 16 && d[2] === 2) || (d[1] === 40 && d[2] === 10));
}

function readHep2(d: Uint8Array, looksLikeSip: (payload: Uint8Array) => boolean): HepPacket | null {
  const headerLen = byteAt(d, 1);
  if (d.length < headerLen) return null;
  const v6 = d[2] === 10;
  const ip = v6 ? ipv6ToString : ipv4ToString;
  const out: HepPacket = {
    src: { ip: ip(d, 8), port: (byteAt(d, 4) << 8) | byteAt(d, 5) },
    dst: { ip: ip(d, v6 ? 24 : 12), port: (byteAt(d, 6) << 8) | byteAt(d, 7) },
    time: null,
    transport: d[3] === 17 ? "udp" : d[3] === 6 ? "tcp" : "unknown",
    payloadType: HEP_PROTO_SIP,
    payload: d.subarray(headerLen),
  };
  if (d[0] === 2) {
    // The time header is 10 bytes, padded to 12 by most senders: take whichever leaves SIP.
    const at = [headerLen + 12, headerLen + 10].find((p) => p < d.length && looksLikeSip(d.subarray(p)));
    if (at === undefined) return null;
    const v = new DataView(d.buffer, d.byteOffset + headerLen, 8);
    out.time = v.getUint32(0, true) + v.getUint32(4, true) / 1e6;
    out.payload = d.subarray(at);
  }
  return out;
}

/** Decode the generic (vendor 0) chunks of one HEP v3 packet; null when it is malformed. */
function readHep3(d: Uint8Array): HepPacket | null {
  if (!isHep3(d) || d.length < 6) return null;
  const total = Math.min(d.length, (byteAt(d, 4) << 8) | byteAt(d, 5));
  let srcIp: string | null = null,
    dstIp: string | null = null;
  let srcPort: number | null = null,
    dstPort: number | null = null;
  let seconds: number | null = null,
    micros = 0;
  let ipProto: number | null = null;
  const out: HepPacket = { src: null, dst: null, time: null, transport: "unknown", payloadType: null, payload: null };
  let p = 6;
  while (p + 6 <= total) {
    const vendor = (byteAt(d, p) << 8) | byteAt(d, p + 1);
    const type = (byteAt(d, p + 2) << 8) | byteAt(d, p + 3);
    const len = (byteAt(d, p + 4) << 8) | byteAt(d, p + 5);
    if (len < 6 || p + len > total) return null;
    const v = p + 6;
    const vlen = len - 6;
    if (vendor === 0) {
      if (type === 2 && vlen >= 1) ipProto = byteAt(d, v);
      else if (type === 3 && vlen === 4) srcIp = ipv4ToString(d, v);
      else if (type === 4 && vlen === 4) dstIp = ipv4ToString(d, v);
      else if (type === 5 && vlen === 16) srcIp = ipv6ToString(d, v);
      else if (type === 6 && vlen === 16) dstIp = ipv6ToString(d, v);
      else if (type === 7 && vlen === 2) srcPort = (byteAt(d, v) << 8) | byteAt(d, v + 1);
      else if (type === 8 && vlen === 2) dstPort = (byteAt(d, v) << 8) | byteAt(d, v + 1);
      else if (type === 9 && vlen === 4) seconds = ((byteAt(d, v) << 24) | (byteAt(d, v + 1) << 16) | (byteAt(d, v + 2) << 8) | byteAt(d, v + 3)) >>> 0;
      else if (type === 10 && vlen === 4) micros = ((byteAt(d, v) << 24) | (byteAt(d, v + 1) << 16) | (byteAt(d, v + 2) << 8) | byteAt(d, v + 3)) >>> 0;
      else if (type === 11 && vlen >= 1) out.payloadType = byteAt(d, v);
      else if (type === 15) out.payload = d.subarray(v, v + vlen);
      else if (type === 16) out.payload = inflate(d.subarray(v, v + vlen));
    }
    p += len;
  }
  if (srcIp) out.src = { ip: srcIp, port: srcPort };
  if (dstIp) out.dst = { ip: dstIp, port: dstPort };
  if (seconds !== null) out.time = seconds + micros / 1e6;
  out.transport = ipProto === 17 ? "udp" : ipProto === 6 ? "tcp" : "unknown";
  return out;
}

/** Compressed payload chunk (gzip or zlib); null when it does not inflate. */
function inflate(d: Uint8Array): Uint8Array | null {
  try {
    const out = decompressSync(d);
    return out.length <= 1024 * 1024 ? out : null;
  } catch {
    return null;
  }
}

/**
 * Deliver the SIP inside one HEP packet (v3, or v1/v2) (addresses and time from its chunks, the carrier's
 * time when it has none). Other payload types (RTCP, logs…) are skipped; damage is reported.
 */
export function emitHepPacket(packet: Uint8Array, frame: number, carrierTime: number | null, out: SipEmitter): void {
  const h = isHep3(packet) ? readHep3(packet) : readHep2(packet, (p) => looksLikeSipStart(p));
  if (!h) {
    out.problem({ where: `frame ${frame}`, message: "damaged HEP v3 packet; skipped", severity: "warning" });
    return;
  }
  if ((h.payloadType !== null && h.payloadType !== HEP_PROTO_SIP) || !h.payload) return;
  emitDatagram(h.payload, { frame, time: h.time ?? carrierTime, src: h.src, dst: h.dst, transport: h.transport }, out);
}
