import type { Problem } from "@siplens/contracts";
import { itemAt } from "../../access.js";

/**
 * Why frames were not decoded down to UDP/TCP, counted per kind so that nothing is skipped
 * silently: encapsulations we cannot open become located warnings, ordinary non-SIP traffic (ARP,
 * ICMP, PPP control, ...) only shows up in the summary of a capture in which no SIP was found.
 */
export const LAYER = {
  LINK_TYPE: 1,
  LINK_HEADER: 2,
  LOOPBACK_FAMILY: 3,
  ETHERTYPE: 4,
  PPPOE: 5,
  PPP: 6,
  MPLS: 7,
  IP: 8,
  IP_HEADER: 9,
  GRE: 10,
  ERSPAN: 11,
  GTP: 12,
  GTP_PAYLOAD: 13,
  NESTING: 14,
  UDP: 15,
} as const;
export type Layer = (typeof LAYER)[keyof typeof LAYER];

/** Most encapsulation headers (VLAN tags, labels, tunnels) opened in one frame. */
export const MAX_NESTING = 16;

/** What the openers return instead of an offset: the frame was skipped (and noted). */
export const SKIPPED = -1;

interface Tally {
  layer: Layer;
  value: number;
  damaged: boolean;
  count: number;
  firstFrame: number;
}

const ORDINARY_ETHERTYPES: Record<number, string> = {
  0x0806: "ARP",
  0x0842: "Wake-on-LAN",
  0x8035: "RARP",
  0x809b: "AppleTalk",
  0x80f3: "AARP",
  0x8137: "IPX",
  0x8808: "Ethernet flow control",
  0x8809: "LACP/slow protocols",
  0x8863: "PPPoE discovery",
  0x888e: "EAPOL",
  0x8892: "PROFINET",
  0x88cc: "LLDP",
  0x88e1: "HomePlug",
  0x88f7: "PTP",
  0x8902: "CFM",
  0x893a: "IEEE 1905",
  0x9000: "Ethernet loopback",
};

const OTHER_ETHERTYPES: Record<number, string> = {
  0x88e5: "MACsec, encrypted",
  0x88e7: "802.1ah provider backbone bridging",
  0x8906: "FCoE",
  0x894f: "NSH",
  0x8915: "RoCE",
};

const ORDINARY_IP_PROTOCOLS: Record<number, string> = {
  1: "ICMP",
  2: "IGMP",
  58: "ICMPv6",
  59: "IPv6 no next header",
  88: "EIGRP",
  89: "OSPF",
  103: "PIM",
  112: "VRRP",
};

const OTHER_IP_PROTOCOLS: Record<number, string> = {
  33: "DCCP",
  50: "IPsec ESP, encrypted",
  51: "IPsec AH",
  115: "L2TPv3",
  132: "SCTP",
  136: "UDP-Lite",
};

const PPP_PROTOCOLS: Record<number, string> = {
  0x00fd: "compressed datagram",
  0x0053: "encrypted datagram",
  0x8021: "IPCP",
  0x8057: "IPV6CP",
  0x80fd: "CCP",
  0xc021: "LCP",
  0xc023: "PAP",
  0xc223: "CHAP",
};

const LAYER_NAMES: Record<Layer, string> = {
  [LAYER.LINK_TYPE]: "link",
  [LAYER.LINK_HEADER]: "link-layer",
  [LAYER.LOOPBACK_FAMILY]: "loopback",
  [LAYER.ETHERTYPE]: "Ethernet",
  [LAYER.PPPOE]: "PPPoE",
  [LAYER.PPP]: "PPP",
  [LAYER.MPLS]: "MPLS",
  [LAYER.IP]: "IP",
  [LAYER.IP_HEADER]: "IP",
  [LAYER.GRE]: "GRE",
  [LAYER.ERSPAN]: "ERSPAN",
  [LAYER.GTP]: "GTP-U",
  [LAYER.GTP_PAYLOAD]: "GTP-U",
  [LAYER.NESTING]: "encapsulation",
  [LAYER.UDP]: "UDP",
};

const hex4 = (v: number) => `0x${v.toString(16).padStart(4, "0")}`;
const named = (label: string, name: string | undefined) => (name ? `${label} (${name})` : label);

/** Traffic that simply is not SIP, as opposed to an encapsulation siplens cannot open. */
function isOrdinary(t: Tally): boolean {
  if (t.damaged) return false;
  switch (t.layer) {
    case LAYER.ETHERTYPE:
      return t.value < 0x0600 || t.value in ORDINARY_ETHERTYPES;
    case LAYER.PPP:
      return t.value >= 0x8000; // link, network and authentication control protocols
    case LAYER.IP:
      return t.value in ORDINARY_IP_PROTOCOLS;
    case LAYER.GTP:
      return true; // GTP-U signalling (echo, error indication, end marker)
    default:
      return false;
  }
}

function describe(t: Tally): string {
  if (t.damaged) {
    if (t.layer === LAYER.IP_HEADER && t.value !== 4 && t.value !== 6) return `IP header with version ${t.value} (damaged, or not IP)`;
    const what = t.layer === LAYER.LINK_HEADER ? `link type ${t.value}` : t.layer === LAYER.IP_HEADER ? `IPv${t.value}` : LAYER_NAMES[t.layer];
    return `${what} header damaged or cut short`;
  }
  switch (t.layer) {
    case LAYER.LINK_TYPE:
      return `link type ${t.value} is not supported`;
    case LAYER.LOOPBACK_FAMILY:
      return `loopback address family ${t.value} is not IPv4 or IPv6`;
    case LAYER.ETHERTYPE:
      if (t.value < 0x0600) return "IEEE 802.3/LLC frames (STP, CDP, ...)";
      return named(`ethertype ${hex4(t.value)}`, ORDINARY_ETHERTYPES[t.value] ?? OTHER_ETHERTYPES[t.value]);
    case LAYER.PPP:
      return named(`PPP protocol ${hex4(t.value)}`, PPP_PROTOCOLS[t.value]);
    case LAYER.MPLS:
      return `MPLS payload that is neither IPv4, IPv6 nor an Ethernet pseudowire (first nibble ${t.value})`;
    case LAYER.IP:
      return named(`IP protocol ${t.value}`, ORDINARY_IP_PROTOCOLS[t.value] ?? OTHER_IP_PROTOCOLS[t.value]);
    case LAYER.GRE:
      return `GRE version ${t.value} is not supported`;
    case LAYER.ERSPAN:
      return `ERSPAN frame type ${t.value} is not supported`;
    case LAYER.GTP:
      return `GTP-U signalling (message type ${t.value})`;
    case LAYER.GTP_PAYLOAD:
      return `GTP-U payload that is not IPv4 or IPv6 (first nibble ${t.value})`;
    case LAYER.NESTING:
      return `more than ${MAX_NESTING} nested encapsulation headers`;
    default:
      return LAYER_NAMES[t.layer];
  }
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** How many kinds of unsupported encapsulation get a warning of their own. */
const MAX_WARNINGS = 8;

export class SkippedFrames {
  // Keyed by a number so that noting a frame allocates nothing once its kind has been seen.
  private readonly tallies = new Map<number, Tally>();

  /** Count one skipped frame; returns SKIPPED so that openers can `return skips.note(...)`. */
  note(layer: Layer, value: number, frame: number, damaged = false): typeof SKIPPED {
    const key = layer * 0x40000 + (damaged ? 0x20000 : 0) + (value & 0x1ffff);
    const t = this.tallies.get(key);
    if (t) t.count++;
    else this.tallies.set(key, { layer, value, damaged, count: 1, firstFrame: frame });
    return SKIPPED;
  }

  /** One located warning per kind of frame that may have held SIP but could not be opened. */
  unsupported(): Problem[] {
    const kinds = [...this.tallies.values()].filter((t) => !isOrdinary(t)).sort((a, b) => a.firstFrame - b.firstFrame);
    const problems = kinds.slice(0, MAX_WARNINGS).map((t): Problem => ({
      where: `frame ${t.firstFrame}`,
      message: `${plural(t.count, "frame was", "frames were")} skipped: ${describe(t)}`,
      severity: "warning",
    }));
    const rest = kinds.slice(MAX_WARNINGS);
    if (rest.length > 0) {
      const frames = rest.reduce((n, t) => n + t.count, 0);
      problems.push({
        where: `frame ${itemAt(rest, 0).firstFrame}`,
        message: `${plural(frames, "more frame was", "more frames were")} skipped for ${rest.length} other reasons (${rest.map(describe).join("; ")})`,
        severity: "warning",
      });
    }
    return problems;
  }

  /** What the frames held instead, for a capture with no SIP at all: biggest counts first. */
  summary(): { ordinary: string[]; unsupportedFrames: number } {
    const all = [...this.tallies.values()].sort((a, b) => b.count - a.count);
    const ordinary = all.filter(isOrdinary).map((t) => `${t.count} × ${describe(t)}`);
    const unsupportedFrames = all.filter((t) => !isOrdinary(t)).reduce((n, t) => n + t.count, 0);
    return { ordinary, unsupportedFrames };
  }
}
