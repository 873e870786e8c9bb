import { FragmentReassembler } from "./ip-fragments.js";
import { ipv4ToString, ipv6ToString } from "./ip-address.js";
import { LAYER, type SkippedFrames } from "./skipped-frames.js";
import { byteAt } from "../../access.js";

export const IPPROTO = {
  IPIP: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  GRE: 47,
  ETHERIP: 97,
  MPLS: 137,
} as const;

/** A transport-layer segment/datagram with its IP addresses. */
export interface TransportPacket {
  protocol: number;
  src: string;
  dst: string;
  /** IPv4 Identification (undefined for IPv6): tells a capture duplicate from a retransmission. */
  ipId?: number;
  /** The transport header and payload (TCP/UDP header included). */
  bytes: Uint8Array;
}

const IPV6_EXTENSION_HEADERS = new Set([0, 43, 60]); // hop-by-hop, routing, destination options
const IPV6_FRAGMENT = 44;
const IPSEC_AH = 51;

/** Opens IPv4/IPv6 packets down to the transport layer, reassembling fragments on the way. */
export class IpLayer {
  readonly fragments = new FragmentReassembler();
  /** Packets captured shorter than their IP length (snapshot length): SIP in them is incomplete. */
  cut: { count: number; firstFrame: number } | null = null;

  constructor(private readonly skips: SkippedFrames) {}

  private noteCut(available: number, declared: number, frame: number): void {
    if (available >= declared) return;
    if (!this.cut) this.cut = { count: 1, firstFrame: frame };
    else if (this.cut.firstFrame !== frame) this.cut.count++; // a tunnel's inner packet is cut with its outer one
  }

  /**
   * The IPv4 or IPv6 packet at `p` (by its version nibble), down to its transport payload. Null when
   * a fragment is held for reassembly, or when the header is damaged (then noted as skipped).
   */
  open(d: Uint8Array, p: number, time: number | null, frame: number): TransportPacket | null {
    const version = p < d.length ? byteAt(d, p) >> 4 : 0;
    if (version === 4) return this.openV4(d, p, time, frame);
    if (version === 6) return this.openV6(d, p, time, frame);
    this.skips.note(LAYER.IP_HEADER, version, frame, true);
    return null;
  }

  private damaged(version: 4 | 6, frame: number): null {
    this.skips.note(LAYER.IP_HEADER, version, frame, true);
    return null;
  }

  private openV4(d: Uint8Array, p: number, time: number | null, frame: number): TransportPacket | null {
    if (d.length < p + 20) return this.damaged(4, frame);
    const headerLen = (byteAt(d, p) & 0x0f) * 4;
    const totalLen = (byteAt(d, p + 2) << 8) | byteAt(d, p + 3);
    // Trust the IP total length over the frame (Ethernet padding), but not beyond what was captured.
    const end = Math.min(d.length, p + (totalLen >= headerLen ? totalLen : d.length - p));
    this.noteCut(d.length - p, totalLen, frame);
    if (headerLen < 20 || p + headerLen > end) return this.damaged(4, frame);
    const protocol = byteAt(d, p + 9);
    const src = ipv4ToString(d, p + 12);
    const dst = ipv4ToString(d, p + 16);
    const flagsOffset = (byteAt(d, p + 6) << 8) | byteAt(d, p + 7);
    const more = (flagsOffset & 0x2000) !== 0;
    const fragOffset = (flagsOffset & 0x1fff) * 8;
    let bytes = d.subarray(p + headerLen, end);
    const id = (byteAt(d, p + 4) << 8) | byteAt(d, p + 5);
    if (more || fragOffset > 0) {
      const whole = this.fragments.add(`4|${src}|${dst}|${protocol}|${id}`, fragOffset, more, bytes, time, frame);
      if (!whole) return null;
      bytes = whole;
    }
    return this.transport(protocol, src, dst, bytes, frame, id);
  }

  private openV6(d: Uint8Array, p: number, time: number | null, frame: number): TransportPacket | null {
    if (d.length < p + 40) return this.damaged(6, frame);
    const payloadLen = (byteAt(d, p + 4) << 8) | byteAt(d, p + 5);
    const end = Math.min(d.length, p + 40 + (payloadLen > 0 ? payloadLen : d.length));
    this.noteCut(d.length - p, 40 + payloadLen, frame);
    const src = ipv6ToString(d, p + 8);
    const dst = ipv6ToString(d, p + 24);
    let next = byteAt(d, p + 6);
    let q = p + 40;
    let bytes: Uint8Array | null = null;
    for (let guard = 0; guard < 16; guard++) {
      if (IPV6_EXTENSION_HEADERS.has(next)) {
        if (q + 8 > end) return this.damaged(6, frame);
        const len = (byteAt(d, q + 1) + 1) * 8;
        next = byteAt(d, q);
        q += len;
        continue;
      }
      if (next === IPV6_FRAGMENT) {
        if (q + 8 > end) return this.damaged(6, frame);
        const inner = byteAt(d, q);
        const offMore = (byteAt(d, q + 2) << 8) | byteAt(d, q + 3);
        const id = ((byteAt(d, q + 4) << 24) | (byteAt(d, q + 5) << 16) | (byteAt(d, q + 6) << 8) | byteAt(d, q + 7)) >>> 0;
        const whole = this.fragments.add(`6|${src}|${dst}|${id}`, offMore & 0xfff8, (offMore & 1) === 1, d.subarray(q + 8, end), time, frame);
        if (!whole) return null;
        // Extension headers may follow inside the reassembled part: keep walking there.
        return this.walkReassembledV6(whole, inner, src, dst, frame);
      }
      bytes = d.subarray(q, end);
      break;
    }
    return bytes && q <= end ? this.transport(next, src, dst, bytes, frame) : this.damaged(6, frame);
  }

  private walkReassembledV6(d: Uint8Array, next: number, src: string, dst: string, frame: number): TransportPacket | null {
    let q = 0;
    for (let guard = 0; guard < 16 && IPV6_EXTENSION_HEADERS.has(next); guard++) {
      if (q + 8 > d.length) return null;
      const len = (byteAt(d, q + 1) + 1) * 8;
      next = byteAt(d, q);
      q += len;
    }
    return q <= d.length ? this.transport(next, src, dst, d.subarray(q), frame) : null;
  }

  /**
   * The transport payload, past any IPsec AH headers (RFC 4302: authenticated, not encrypted, so
   * what follows is readable; the length field counts 4-byte units, minus 2).
   */
  private transport(protocol: number, src: string, dst: string, bytes: Uint8Array, frame: number, ipId?: number): TransportPacket | null {
    for (let guard = 0; protocol === IPSEC_AH; guard++) {
      const len = ((bytes[1] ?? 0) + 2) * 4;
      if (bytes.length < len || guard === 8) {
        this.skips.note(LAYER.IP, IPSEC_AH, frame, true);
        return null;
      }
      protocol = byteAt(bytes, 0);
      bytes = bytes.subarray(len);
    }
    // one literal shape for every packet (IPv6: no ID)
    return { protocol, src, dst, ipId, bytes };
  }
}
