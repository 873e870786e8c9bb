import type { CapturedFrame } from "./frame.js";
import { type Opening, openEthernet, openLinkLayer, openMpls } from "./link-layer.js";
import { IpLayer, IPPROTO, type TransportPacket } from "./ip-layer.js";
import { GTPU_PORT, NOT_A_TUNNEL, VXLAN_LINUX_PORT, VXLAN_PORT, openGre, openGtpU, openVxlan } from "./tunnels.js";
import { LAYER, MAX_NESTING, SkippedFrames, plural } from "./skipped-frames.js";
import { TcpReassembler } from "./tcp-reassembly.js";
import { emitDatagram } from "./datagram.js";
import { emitHepPacket, isHep2, isHep3 } from "./hep.js";
import { looksLikeSipStart, skipLineBreaks } from "../../sip/framing.js";
import type { SipEmitter } from "./sip-emitter.js";
import { byteAt } from "../../access.js";

const UDP_HEADER = 8;
const SIP_VERSION = [0x20, 0x53, 0x49, 0x50, 0x2f, 0x32, 0x2e, 0x30]; // " SIP/2.0"

const IPPROTO_ICMP = 1;
/** ICMP types that quote the offending packet: destination unreachable, time exceeded, parameter problem. */
const ICMP_QUOTING_TYPES = new Set([3, 11, 12]);

/** Whether an ICMP error quotes an IPv4 UDP datagram whose payload starts like SIP. */
function icmpQuotesSip(icmp: Uint8Array): boolean {
  if (icmp.length < 8 + 20 + UDP_HEADER || !ICMP_QUOTING_TYPES.has(byteAt(icmp, 0))) return false;
  const ip = 8;
  if (byteAt(icmp, ip) >> 4 !== 4 || icmp[ip + 9] !== 17) return false;
  const payload = ip + (byteAt(icmp, ip) & 0x0f) * 4 + UDP_HEADER;
  return payload < icmp.length && looksLikeSipStart(icmp, payload);
}

/** Whether the datagram's first line ends in " SIP/2.0": a request line, if a malformed one. */
function firstLineEndsInSipVersion(d: Uint8Array): boolean {
  let end = d.indexOf(0x0a);
  if (end < 0) return false;
  if (end > 0 && d[end - 1] === 0x0d) end--;
  if (end < SIP_VERSION.length) return false;
  return SIP_VERSION.every((b, i) => d[end - SIP_VERSION.length + i] === b);
}
/** What `udp` returns when the datagram was not a tunnel: nothing more to open in this frame. */
const DONE = -1;

/**
 * Decodes captured frames down to SIP: link layer, tunnels (PPPoE, MPLS, IP-in-IP, GRE, GTP-U,
 * VXLAN), IP (+fragments), UDP/HEP, TCP/WebSocket. Frames it cannot open are counted by reason.
 */
export class PacketDecoder {
  private readonly skips = new SkippedFrames();
  private readonly ip = new IpLayer(this.skips);
  private readonly tcp: TcpReassembler;
  /** Reused for every frame so that opening headers allocates nothing. */
  private readonly opening: Opening = { skips: this.skips, frame: 0 };
  private frames = 0;
  private udpWithoutSip = 0;
  private tcpSegments = 0;
  /** Datagrams whose first line ends in "SIP/2.0" but is not a start line the reader accepts. */
  private unreadableRequests: { count: number; firstFrame: number } | null = null;
  /** ICMP errors that quote a SIP datagram (tshark shows them as SIP; they are not messages). */
  private icmpQuotes: { count: number; firstFrame: number } | null = null;

  constructor(private readonly out: SipEmitter) {
    this.tcp = new TcpReassembler(out);
  }

  frame(f: CapturedFrame): void {
    this.frames++;
    const o = this.opening;
    o.frame = f.frame;
    let d = f.data;
    let p = openLinkLayer(f.linkType, d, o);
    // Each pass opens one IP packet; tunnels hand back the next one inside it.
    for (let depth = 0; p >= 0; depth++) {
      if (depth > MAX_NESTING) return void this.skips.note(LAYER.NESTING, 0, f.frame);
      const t = this.ip.open(d, p, f.time, f.frame);
      if (!t) return;
      d = t.bytes;
      switch (t.protocol) {
        case IPPROTO.UDP:
          p = this.udp(t, f, depth);
          break;
        case IPPROTO.TCP:
          this.tcpSegments++;
          this.tcp.segment(t.bytes, { src: t.src, dst: t.dst, frame: f.frame, time: f.time });
          return;
        case IPPROTO.IPIP:
        case IPPROTO.IPV6:
          p = 0;
          break;
        case IPPROTO.GRE:
          p = openGre(d, 0, o, depth);
          break;
        case IPPROTO.MPLS:
          p = openMpls(d, 0, o, depth);
          break;
        case IPPROTO.ETHERIP: // RFC 3378: a 2-byte version header, then Ethernet
          p = openEthernet(d, 2, o, depth);
          break;
        default:
          if (t.protocol === IPPROTO_ICMP && icmpQuotesSip(t.bytes)) {
            if (this.icmpQuotes) this.icmpQuotes.count++;
            else this.icmpQuotes = { count: 1, firstFrame: f.frame };
          }
          this.skips.note(LAYER.IP, t.protocol, f.frame);
          return;
      }
    }
  }

  finish(): void {
    this.tcp.finish();
    const cut = this.ip.cut;
    if (cut) {
      this.out.problem({
        where: `frame ${cut.firstFrame}`,
        message: `${cut.count} packet${cut.count === 1 ? " was" : "s were"} captured shorter than sent (snapshot length); SIP messages in them are incomplete`,
        severity: "warning",
      });
    }
    const dropped = this.ip.fragments.finish();
    if (dropped) {
      this.out.problem({
        where: `frame ${dropped.firstFrame}`,
        message: `${dropped.count} fragmented IP datagram${dropped.count === 1 ? " was" : "s were"} never completed (fragments missing, timed out, or over the reassembly bounds) and skipped`,
        severity: "warning",
      });
    }
    const unreadable = this.unreadableRequests;
    if (unreadable) {
      this.out.problem({
        where: `frame ${unreadable.firstFrame}`,
        message: `${plural(unreadable.count, "UDP datagram")} ${unreadable.count === 1 ? "looks" : "look"} like a SIP request (the first line ends in "SIP/2.0") but the start line is not one siplens reads (a method longer than 32 characters, a start line over 4096 bytes, or a Request-URI without a scheme); skipped`,
        severity: "warning",
      });
    }
    const quotes = this.icmpQuotes;
    if (quotes) {
      this.out.problem({
        where: `frame ${quotes.firstFrame}`,
        message: `${plural(quotes.count, "ICMP error")} quote${quotes.count === 1 ? "s" : ""} the start of a SIP datagram sent earlier (the quoted copy is not a message of its own and is not counted)`,
        severity: "warning",
      });
    }
    for (const p of this.skips.unsupported()) this.out.problem(p);
    // Skip the summary when the warnings above already account for every frame.
    if (this.out.count === 0 && this.frames > this.skips.summary().unsupportedFrames) this.out.problem(this.noSipSummary());
  }

  /** An empty result must not look like a clean one: say what the frames held instead. */
  private noSipSummary() {
    const { ordinary, unsupportedFrames } = this.skips.summary();
    const seen = [
      ...(this.udpWithoutSip > 0 ? [`${plural(this.udpWithoutSip, "UDP datagram")} without SIP`] : []),
      ...(this.tcpSegments > 0 ? [`${plural(this.tcpSegments, "TCP segment")} without SIP`] : []),
      ...ordinary,
      ...(unsupportedFrames > 0 ? [`${plural(unsupportedFrames, "frame")} skipped as reported`] : []),
    ];
    return { where: `frames 1-${this.frames}`, message: `no SIP in ${plural(this.frames, "frame")}: ${seen.join(", ")}`, severity: "warning" as const };
  }

  /** SIP (or HEP) in a UDP datagram; or the offset of the IP packet a UDP tunnel carries in it. */
  private udp(t: TransportPacket, f: CapturedFrame, depth: number): number {
    const u = t.bytes;
    if (u.length < UDP_HEADER) return this.skips.note(LAYER.UDP, 0, f.frame, true);
    const srcPort = (byteAt(u, 0) << 8) | byteAt(u, 1);
    const dstPort = (byteAt(u, 2) << 8) | byteAt(u, 3);
    const udpLen = (byteAt(u, 4) << 8) | byteAt(u, 5);
    const end = udpLen >= UDP_HEADER ? Math.min(u.length, udpLen) : u.length;
    if (dstPort === GTPU_PORT || srcPort === GTPU_PORT) {
      const inner = openGtpU(u, UDP_HEADER, this.opening);
      if (inner !== NOT_A_TUNNEL) return inner;
    } else if (dstPort === VXLAN_PORT || dstPort === VXLAN_LINUX_PORT) {
      const inner = openVxlan(u, UDP_HEADER, this.opening, depth);
      if (inner !== NOT_A_TUNNEL) return inner;
    }
    const payload = u.subarray(UDP_HEADER, end);
    if (isHep3(payload) || isHep2(payload)) {
      emitHepPacket(payload, f.frame, f.time, this.out);
      return DONE;
    }
    if (!looksLikeSipStart(payload, skipLineBreaks(payload, 0, Math.min(payload.length, 8)))) {
      if (firstLineEndsInSipVersion(payload)) {
        if (this.unreadableRequests) this.unreadableRequests.count++;
        else this.unreadableRequests = { count: 1, firstFrame: f.frame };
      }
      this.udpWithoutSip++;
      return DONE;
    }
    const ctx = {
      frame: f.frame,
      time: f.time,
      src: { ip: t.src, port: srcPort },
      dst: { ip: t.dst, port: dstPort },
      transport: "udp" as const,
      ipId: t.ipId,
    };
    emitDatagram(payload, ctx, this.out);
    return DONE;
  }
}
