/**
 * Strip link-layer headers (and what rides on an ethertype: VLAN tags, PPPoE, PPP, MPLS, bridged
 * Ethernet) down to the IP packet a frame carries. Every opener returns the offset of the IP
 * header within the bytes it was given, or SKIPPED after noting why; none allocates.
 */
import { LAYER, type Layer, MAX_NESTING, type SkippedFrames } from "./skipped-frames.js";
import { byteAt } from "../../access.js";

const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  RAW_OPENBSD: 12,
  RAW_BSDOS: 14,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  RAW: 101,
  C_HDLC: 104,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const ETHERTYPE = {
  IPV4: 0x0800,
  IPV6: 0x86dd,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  QINQ_OLD1: 0x9100,
  QINQ_OLD2: 0x9200,
  PPPOE_SESSION: 0x8864,
  PPP: 0x880b,
  MPLS: 0x8847,
  MPLS_MULTICAST: 0x8848,
  TRANSPARENT_ETHERNET: 0x6558,
} as const;

const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const PPP_MPLS = 0x0281;
/** Label stack entries we walk before calling the stack damaged. */
const MAX_LABELS = 16;

/** Context every opener needs: where to count skips, and for which frame. */
export interface Opening {
  skips: SkippedFrames;
  frame: number;
}

const be16 = (d: Uint8Array, p: number) => (byteAt(d, p) << 8) | byteAt(d, p + 1);

/** An IP header is expected at `p`: IPv4 or IPv6 by its version nibble. */
export function ipByVersion(d: Uint8Array, p: number, o: Opening, layer: Layer): number {
  if (p >= d.length) return o.skips.note(layer, 0, o.frame, true);
  const v = byteAt(d, p) >> 4;
  return v === 4 || v === 6 ? p : o.skips.note(layer, v, o.frame);
}

/** The payload of an Ethernet header at `p` (14 bytes, then tags and what the ethertype names). */
export function openEthernet(d: Uint8Array, p: number, o: Opening, depth: number): number {
  if (p + 14 > d.length) return o.skips.note(LAYER.ETHERTYPE, 0, o.frame, true);
  return openEthertype(d, be16(d, p + 12), p + 14, o, depth + 1);
}

/** What an ethertype (also a GRE protocol type, or an SLL protocol) says follows at `p`. */
export function openEthertype(d: Uint8Array, ethertype: number, p: number, o: Opening, depth: number): number {
  if (depth > MAX_NESTING) return o.skips.note(LAYER.NESTING, 0, o.frame);
  switch (ethertype) {
    case ETHERTYPE.IPV4:
    case ETHERTYPE.IPV6:
      return p;
    case ETHERTYPE.VLAN:
    case ETHERTYPE.QINQ:
    case ETHERTYPE.QINQ_OLD1:
    case ETHERTYPE.QINQ_OLD2:
      // each 802.1Q / QinQ tag adds 4 bytes before the real ethertype
      if (p + 4 > d.length) return o.skips.note(LAYER.ETHERTYPE, ethertype, o.frame, true);
      return openEthertype(d, be16(d, p + 2), p + 4, o, depth + 1);
    case ETHERTYPE.PPPOE_SESSION:
      return openPppoeSession(d, p, o, depth);
    case ETHERTYPE.PPP:
      return openPpp(d, p, o, depth);
    case ETHERTYPE.MPLS:
    case ETHERTYPE.MPLS_MULTICAST:
      return openMpls(d, p, o, depth);
    case ETHERTYPE.TRANSPARENT_ETHERNET:
      return openEthernet(d, p, o, depth);
    default:
      return o.skips.note(LAYER.ETHERTYPE, ethertype, o.frame);
  }
}

/** PPPoE session stage (RFC 2516): version/type 0x11, code 0, session id, length, then PPP. */
function openPppoeSession(d: Uint8Array, p: number, o: Opening, depth: number): number {
  if (p + 8 > d.length || d[p] !== 0x11 || d[p + 1] !== 0) return o.skips.note(LAYER.PPPOE, 0, o.frame, true);
  return openPpp(d, p + 6, o, depth + 1);
}

/** A PPP frame: optional HDLC address/control (FF 03), a 1- or 2-byte protocol field. */
function openPpp(d: Uint8Array, p: number, o: Opening, depth: number): number {
  if (d[p] === 0xff && d[p + 1] === 0x03) p += 2;
  if (p >= d.length) return o.skips.note(LAYER.PPP, 0, o.frame, true);
  let protocol = byteAt(d, p);
  if (protocol & 1)
    p += 1; // protocol field compression: odd first byte is the whole field
  else {
    if (p + 2 > d.length) return o.skips.note(LAYER.PPP, 0, o.frame, true);
    protocol = be16(d, p);
    p += 2;
  }
  if (protocol === PPP_IPV4 || protocol === PPP_IPV6) return p;
  if (protocol === PPP_MPLS) return openMpls(d, p, o, depth + 1);
  return o.skips.note(LAYER.PPP, protocol, o.frame);
}

/** An MPLS label stack, then IPv4/IPv6 by version nibble, or a pseudowire control word and Ethernet. */
export function openMpls(d: Uint8Array, p: number, o: Opening, depth: number): number {
  for (let labels = 0; ; labels++) {
    if (p + 4 > d.length || labels === MAX_LABELS) return o.skips.note(LAYER.MPLS, 0, o.frame, true);
    const bottom = (byteAt(d, p + 2) & 1) === 1;
    p += 4;
    if (bottom) break;
  }
  if (p >= d.length) return o.skips.note(LAYER.MPLS, 0, o.frame, true);
  // First nibble 0: the RFC 4385 control word of an Ethernet pseudowire.
  if (byteAt(d, p) >> 4 === 0) return openEthernet(d, p + 4, o, depth + 1);
  return ipByVersion(d, p, o, LAYER.MPLS);
}

const LOOPBACK_HEADER = 4;

/** BSD loopback address families: AF_INET is 2 everywhere, AF_INET6 differs per OS. */
function byAddressFamily(family: number, o: Opening): number {
  if (family === 2 || family === 10 || family === 24 || family === 28 || family === 30) return LOOPBACK_HEADER;
  return o.skips.note(LAYER.LOOPBACK_FAMILY, family, o.frame);
}

const cut = (linkType: number, o: Opening) => o.skips.note(LAYER.LINK_HEADER, linkType, o.frame, true);

export function openLinkLayer(linkType: number, d: Uint8Array, o: Opening): number {
  const n = d.length;
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return openEthernet(d, 0, o, 0);
    case LINKTYPE.LINUX_SLL:
      return n >= 16 ? openEthertype(d, be16(d, 14), 16, o, 0) : cut(linkType, o);
    case LINKTYPE.LINUX_SLL2:
      return n >= 20 ? openEthertype(d, be16(d, 0), 20, o, 0) : cut(linkType, o);
    case LINKTYPE.NULL: {
      if (n < LOOPBACK_HEADER) return cut(linkType, o);
      // Host byte order of the capturing machine: accept either.
      const little = byteAt(d, 0) | (byteAt(d, 1) << 8);
      return byAddressFamily(little !== 0 ? little : be16(d, 2), o);
    }
    case LINKTYPE.LOOP:
      return n >= LOOPBACK_HEADER ? byAddressFamily(be16(d, 2), o) : cut(linkType, o);
    case LINKTYPE.PPP:
    case LINKTYPE.PPP_HDLC:
      return openPpp(d, 0, o, 0);
    case LINKTYPE.PPP_ETHER:
      return openPppoeSession(d, 0, o, 0);
    case LINKTYPE.C_HDLC: // Cisco HDLC: address, control, then an ethertype
      return n >= 4 ? openEthertype(d, be16(d, 2), 4, o, 0) : cut(linkType, o);
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OPENBSD:
    case LINKTYPE.RAW_BSDOS:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return 0;
    default:
      return o.skips.note(LAYER.LINK_TYPE, linkType, o.frame);
  }
}
