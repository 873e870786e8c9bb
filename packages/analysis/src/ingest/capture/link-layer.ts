/** Strip the link-layer header of a captured frame down to the IP packet it carries. */

export interface NetworkPacket {
  version: 4 | 6;
  /** Offset of the IP header within the frame data. */
  start: number;
}

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Link types whose frames we know how to open; others are reported once. */
export function isSupportedLinkType(linkType: number): boolean {
  return linkType === 0 || linkType === 1 || linkType === 12 || linkType === 14 || linkType === 101 || linkType === 108 ||
    linkType === 113 || linkType === 228 || linkType === 229 || linkType === 276;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100, 0x9200]);

function fromEthertype(ethertype: number, start: number): NetworkPacket | null {
  if (ethertype === ETHERTYPE_IPV4) return { version: 4, start };
  if (ethertype === ETHERTYPE_IPV6) return { version: 6, start };
  return null;
}

function fromVersionNibble(d: Uint8Array, start: number): NetworkPacket | null {
  const v = (d[start] ?? 0) >> 4;
  return v === 4 || v === 6 ? { version: v, start } : null;
}

/** BSD loopback address families: AF_INET is 2 everywhere, AF_INET6 differs per OS. */
function fromAddressFamily(family: number, start: number): NetworkPacket | null {
  if (family === 2) return { version: 4, start };
  if (family === 10 || family === 24 || family === 28 || family === 30) return { version: 6, start };
  return null;
}

export function openLinkLayer(linkType: number, d: Uint8Array): NetworkPacket | null {
  const n = d.length;
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      let p = 12;
      let ethertype = n >= 14 ? (d[12]! << 8) | d[13]! : 0;
      // 802.1Q / QinQ: each tag adds 4 bytes before the real ethertype
      while (VLAN_TAGS.has(ethertype) && p + 6 <= n) {
        p += 4;
        ethertype = (d[p]! << 8) | d[p + 1]!;
      }
      return fromEthertype(ethertype, p + 2);
    }
    case LINKTYPE.LINUX_SLL:
      return n >= 16 ? fromEthertype((d[14]! << 8) | d[15]!, 16) : null;
    case LINKTYPE.LINUX_SLL2:
      return n >= 20 ? fromEthertype((d[0]! << 8) | d[1]!, 20) : null;
    case LINKTYPE.NULL: {
      if (n < 4) return null;
      // Host byte order of the capturing machine: accept either.
      const little = d[0]! | (d[1]! << 8);
      return fromAddressFamily(little !== 0 ? little : (d[2]! << 8) | d[3]!, 4);
    }
    case LINKTYPE.LOOP:
      return n >= 4 ? fromAddressFamily((d[2]! << 8) | d[3]!, 4) : null;
    case LINKTYPE.RAW:
    case 12:
    case 14:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return fromVersionNibble(d, 0);
    default:
      return null;
  }
}
