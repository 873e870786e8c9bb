import type { CapturedFrame } from "./frame.js";
import { isSupportedLinkType, openLinkLayer } from "./link-layer.js";
import { IpLayer, IPPROTO_TCP, IPPROTO_UDP } from "./ip-layer.js";
import { TcpReassembler } from "./tcp-reassembly.js";
import { emitDatagram } from "./datagram.js";
import { emitHepPacket, isHep2, isHep3 } from "./hep.js";
import { looksLikeSipStart, skipLineBreaks } from "../../sip/framing.js";
import type { SipEmitter } from "./sip-emitter.js";

/** Decodes captured frames down to SIP: link layer, IP (+fragments), UDP/HEP, TCP/WebSocket. */
export class PacketDecoder {
  private readonly ip = new IpLayer();
  private readonly tcp: TcpReassembler;
  private readonly unsupportedLinkTypes = new Set<number>();

  constructor(private readonly out: SipEmitter) {
    this.tcp = new TcpReassembler(out);
  }

  frame(f: CapturedFrame): void {
    const net = openLinkLayer(f.linkType, f.data);
    if (!net) {
      if (!isSupportedLinkType(f.linkType) && !this.unsupportedLinkTypes.has(f.linkType)) {
        this.unsupportedLinkTypes.add(f.linkType);
        this.out.problem({ where: `frame ${f.frame}`, message: `link type ${f.linkType} is not supported; its frames were skipped`, severity: "warning" });
      }
      return;
    }
    const t = this.ip.open(f.data, net, f.time, f.frame);
    if (!t) return;
    if (t.protocol === IPPROTO_UDP) this.udp(t.bytes, t.src, t.dst, f);
    else if (t.protocol === IPPROTO_TCP) this.tcp.segment(t.bytes, { src: t.src, dst: t.dst, frame: f.frame, time: f.time });
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
  }

  private udp(u: Uint8Array, src: string, dst: string, f: CapturedFrame): void {
    if (u.length < 8) return;
    const udpLen = (u[4]! << 8) | u[5]!;
    const payload = u.subarray(8, udpLen >= 8 ? Math.min(u.length, udpLen) : u.length);
    if (isHep3(payload) || isHep2(payload)) return emitHepPacket(payload, f.frame, f.time, this.out);
    if (!looksLikeSipStart(payload, skipLineBreaks(payload, 0, Math.min(payload.length, 8)))) return;
    const ctx = {
      frame: f.frame,
      time: f.time,
      src: { ip: src, port: (u[0]! << 8) | u[1]! },
      dst: { ip: dst, port: (u[2]! << 8) | u[3]! },
      transport: "udp" as const,
    };
    emitDatagram(payload, ctx, this.out);
  }
}
