/**
 * Tunnels that carry whole packets: GRE (with bridged Ethernet, PPP and ERSPAN II/III inside), and
 * over UDP GTP-U (mobile core) and VXLAN. Like the link-layer openers they return the offset of the
 * inner IP header within the bytes given, or SKIPPED after noting why; NOT_A_TUNNEL tells the
 * caller that a UDP payload on a tunnel port is not that tunnel, so it may still be SIP.
 */
import { type Opening, ipByVersion, openEthernet, openEthertype } from "./link-layer.js";
import { LAYER } from "./skipped-frames.js";
import { byteAt } from "../../access.js";

export const NOT_A_TUNNEL = -2;

export const GTPU_PORT = 2152;
export const VXLAN_PORT = 4789;
/** The port Linux used for VXLAN before IANA assigned 4789. */
export const VXLAN_LINUX_PORT = 8472;

const ERSPAN_II = 0x88be; // also type I, which has no ERSPAN header (and no GRE sequence number)
const ERSPAN_III = 0x22eb;

const GRE_CHECKSUM = 0x8000;
const GRE_ROUTING = 0x4000;
const GRE_KEY = 0x2000;
const GRE_SEQUENCE = 0x1000;
const GRE_ACK = 0x0080; // version 1 (PPTP) only
const MAX_SOURCE_ROUTES = 16;

const be16 = (d: Uint8Array, p: number) => (byteAt(d, p) << 8) | byteAt(d, p + 1);

/** GRE (RFC 2784/2890, RFC 1701 routing, PPTP's version 1) at `p`. */
export function openGre(d: Uint8Array, p: number, o: Opening, depth: number): number {
  const n = d.length;
  if (p + 4 > n) return o.skips.note(LAYER.GRE, 0, o.frame, true);
  const flags = be16(d, p);
  const version = flags & 7;
  if (version > 1) return o.skips.note(LAYER.GRE, version, o.frame);
  const protocol = be16(d, p + 2);
  let q = p + 4;
  if (flags & (GRE_CHECKSUM | GRE_ROUTING)) q += 4; // checksum and (RFC 1701) routing offset
  if (flags & GRE_KEY) q += 4; // version 1: payload length and call id
  if (flags & GRE_SEQUENCE) q += 4;
  if (version === 1 && flags & GRE_ACK) q += 4;
  if (flags & GRE_ROUTING) {
    // Source route entries until the empty one (address family 0, length 0).
    for (let routes = 0; ; routes++) {
      if (q + 4 > n || routes === MAX_SOURCE_ROUTES) return o.skips.note(LAYER.GRE, 0, o.frame, true);
      const length = byteAt(d, q + 3);
      const last = be16(d, q) === 0 && length === 0;
      q += 4 + length;
      if (last) break;
    }
  }
  if (q > n) return o.skips.note(LAYER.GRE, 0, o.frame, true);
  if (protocol === ERSPAN_II) return openEthernet(d, flags & GRE_SEQUENCE ? q + 8 : q, o, depth);
  if (protocol === ERSPAN_III) return openErspan3(d, q, o, depth);
  return openEthertype(d, protocol, q, o, depth + 1);
}

/** ERSPAN type III: 12-byte header, an 8-byte platform subheader when O is set, then the frame. */
function openErspan3(d: Uint8Array, p: number, o: Opening, depth: number): number {
  if (p + 12 > d.length) return o.skips.note(LAYER.ERSPAN, 0, o.frame, true);
  const frameType = (byteAt(d, p + 10) >> 2) & 0x1f;
  const start = p + 12 + (byteAt(d, p + 11) & 1 ? 8 : 0);
  if (frameType === 0) return openEthernet(d, start, o, depth);
  if (frameType === 2) return ipByVersion(d, start, o, LAYER.ERSPAN);
  return o.skips.note(LAYER.ERSPAN, frameType, o.frame);
}

const GTP_GPDU = 0xff;
const MAX_GTP_EXTENSIONS = 16;

/**
 * GTPv1-U (3GPP TS 29.281) at `p` of a UDP payload: the IP packet of a G-PDU, after the optional
 * sequence/N-PDU fields and the chain of extension headers.
 */
export function openGtpU(d: Uint8Array, p: number, o: Opening): number {
  const n = d.length;
  if (p + 8 > n) return NOT_A_TUNNEL;
  const flags = byteAt(d, p);
  if (flags >> 5 !== 1 || (flags & 0x10) === 0) return NOT_A_TUNNEL; // version 1, protocol type GTP
  const type = byteAt(d, p + 1);
  if (type !== GTP_GPDU) return o.skips.note(LAYER.GTP, type, o.frame);
  let q = p + 8;
  if (flags & 0x07) {
    if (q + 4 > n) return o.skips.note(LAYER.GTP, 0, o.frame, true);
    let next = flags & 0x04 ? byteAt(d, q + 3) : 0;
    q += 4;
    for (let extensions = 0; next !== 0; extensions++) {
      // Each extension: length in 4-byte units (never 0), content, next extension type last.
      const len = (d[q] ?? 0) * 4;
      if (len === 0 || q + len > n || extensions === MAX_GTP_EXTENSIONS) return o.skips.note(LAYER.GTP, 0, o.frame, true);
      next = byteAt(d, q + len - 1);
      q += len;
    }
  }
  return ipByVersion(d, q, o, LAYER.GTP_PAYLOAD);
}

/**
 * VXLAN (RFC 7348) at `p` of a UDP payload: 8-byte header whose flags are I (0x08) and at most
 * the group-policy G (0x80), then Ethernet.
 */
export function openVxlan(d: Uint8Array, p: number, o: Opening, depth: number): number {
  if (p + 8 > d.length || (byteAt(d, p) & 0x77) !== 0 || (byteAt(d, p) & 0x08) === 0) return NOT_A_TUNNEL;
  return openEthernet(d, p + 8, o, depth);
}
