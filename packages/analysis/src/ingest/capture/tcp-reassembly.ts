import { StreamConsumer } from "./stream-consumer.js";
import type { SipEmitter } from "./sip-emitter.js";
import { byteAt, present } from "../../access.js";

/**
 * TCP stream reassembly per direction (4-tuple): in-order delivery, retransmitted bytes delivered
 * once, out-of-order segments held (bounded) until the hole is filled. Directions that do not
 * carry SIP are not reassembled at all.
 */
const MAX_HELD_SEGMENTS = 256;
const MAX_HELD_BYTES = 2 * 1024 * 1024;
const MAX_STREAMS = 20_000;
/**
 * How long (capture time) to wait for a missing segment before going on without it: short once
 * the receiver has acknowledged the missing bytes (the capture lost them, the network did not),
 * longer otherwise. Not immediately on the acknowledgement: capture points reorder packets too.
 */
const HOLE_WAIT_ACKED = 0.2;
const HOLE_WAIT = 3;

const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

interface Held {
  seq: number;
  bytes: Uint8Array;
  frame: number;
  time: number | null;
}

interface Direction {
  consumer: StreamConsumer;
  nextSeq: number | null;
  held: Map<number, Held>;
  heldBytes: number;
  /** Capture time at which the current hole was first noticed. */
  heldSince: number | null;
  /** The receiver acknowledged bytes beyond the hole. */
  holeAcked: boolean;
  gapReported: boolean;
}

export interface TcpSegmentInfo {
  src: string;
  dst: string;
  frame: number;
  time: number | null;
}

export class TcpReassembler {
  private streams = new Map<string, Direction>();
  private tls: { connections: Set<string>; frame: number; label: string } | null = null;

  constructor(private readonly out: SipEmitter) {}

  segment(tcp: Uint8Array, info: TcpSegmentInfo): void {
    if (tcp.length < 20) return;
    const srcPort = (byteAt(tcp, 0) << 8) | byteAt(tcp, 1);
    const dstPort = (byteAt(tcp, 2) << 8) | byteAt(tcp, 3);
    const seq = ((byteAt(tcp, 4) << 24) | (byteAt(tcp, 5) << 16) | (byteAt(tcp, 6) << 8) | byteAt(tcp, 7)) >>> 0;
    const headerLen = (byteAt(tcp, 12) >> 4) * 4;
    const flags = byteAt(tcp, 13);
    if (headerLen < 20 || headerLen > tcp.length) return;
    const payload = tcp.subarray(headerLen);
    const key = `${info.src}|${srcPort}|${info.dst}|${dstPort}`;
    const reverse = this.streams.get(`${info.dst}|${dstPort}|${info.src}|${srcPort}`);
    if (reverse && reverse.held.size > 0) {
      if (flags & ACK) this.noteAcknowledgement(reverse, tcp);
      this.giveUpOnOldHole(reverse, info.time);
    }
    let dir = this.streams.get(key);
    if (dir && dir.held.size > 0) this.giveUpOnOldHole(dir, info.time);
    if (flags & SYN) {
      // A new connection on a reused 4-tuple starts afresh.
      if (dir) this.close(key, dir);
      dir = this.open(key, info, srcPort, dstPort);
      dir.nextSeq = (seq + 1) >>> 0;
    }
    if (payload.length === 0) {
      if (flags & RST && dir) this.close(key, dir);
      return;
    }
    if (!dir) dir = this.open(key, info, srcPort, dstPort);
    const dataSeq = flags & SYN ? (seq + 1) >>> 0 : seq;
    if (dir.consumer.ignoring) {
      // Not SIP so far: only a segment that begins a SIP message brings the stream into sync.
      if (!dir.consumer.resyncs(payload)) return;
      dir.nextSeq = dataSeq;
      dir.held.clear();
      dir.heldBytes = 0;
    }
    if (dir.nextSeq === null) dir.nextSeq = dataSeq;
    this.accept(dir, dataSeq, payload, info.frame, info.time);
  }

  /** End of capture: deliver what is held after any hole, report cut-off messages. */
  finish(): void {
    for (const [key, dir] of this.streams) this.close(key, dir);
    if (this.tls) {
      const { connections, frame, label } = this.tls;
      const count = connections.size;
      this.out.problem({
        where: `frame ${frame}`,
        message: `${count} TLS-encrypted TCP connection${count === 1 ? "" : "s"} (first ${label}) could not be read; SIP over TLS needs a capture of the decrypted traffic or a text log`,
        severity: "warning",
      });
    }
  }

  /** The receiver acknowledged bytes we never saw: the capture, not the network, lost them. */
  private noteAcknowledgement(dir: Direction, tcp: Uint8Array): void {
    if (dir.nextSeq === null) return;
    const ack = ((byteAt(tcp, 8) << 24) | (byteAt(tcp, 9) << 16) | (byteAt(tcp, 10) << 8) | byteAt(tcp, 11)) >>> 0;
    if (((ack - dir.nextSeq) | 0) > 0) dir.holeAcked = true;
  }

  private giveUpOnOldHole(dir: Direction, now: number | null): void {
    if (now === null || dir.heldSince === null) return;
    if (now - dir.heldSince > (dir.holeAcked ? HOLE_WAIT_ACKED : HOLE_WAIT)) this.skipHole(dir);
  }

  private open(key: string, info: TcpSegmentInfo, srcPort: number, dstPort: number): Direction {
    if (this.streams.size >= MAX_STREAMS) {
      const oldest = this.streams.keys().next();
      if (!oldest.done) this.close(oldest.value, present(this.streams.get(oldest.value)));
    }
    const consumer = new StreamConsumer(
      this.out,
      {
        frame: info.frame,
        time: info.time,
        src: { ip: info.src, port: srcPort },
        dst: { ip: info.dst, port: dstPort },
        transport: "tcp",
      },
      (frame, label) => {
        this.tls ??= { connections: new Set(), frame, label };
        this.tls.connections.add([key, `${info.dst}|${dstPort}|${info.src}|${srcPort}`].sort().join(" "));
      },
    );
    const dir: Direction = { consumer, nextSeq: null, held: new Map(), heldBytes: 0, heldSince: null, holeAcked: false, gapReported: false };
    this.streams.set(key, dir);
    return dir;
  }

  private close(key: string, dir: Direction): void {
    while (dir.held.size > 0) this.skipHole(dir);
    dir.consumer.finish();
    this.streams.delete(key);
  }

  private accept(dir: Direction, seq: number, payload: Uint8Array, frame: number, time: number | null): void {
    const next = present(dir.nextSeq);
    const ahead = (seq - next) | 0;
    if (ahead > 0) {
      if (!dir.held.has(seq)) {
        if (dir.held.size === 0) {
          dir.heldSince = time;
          dir.holeAcked = false;
        }
        dir.held.set(seq, { seq, bytes: payload.slice(), frame, time });
        dir.heldBytes += payload.length;
      }
      if (dir.held.size > MAX_HELD_SEGMENTS || dir.heldBytes > MAX_HELD_BYTES) this.skipHole(dir);
      return;
    }
    if (payload.length + ahead <= 0) return; // retransmission of bytes already delivered
    this.deliver(dir, payload.subarray(-ahead), frame, time);
    this.drainHeld(dir);
  }

  private deliver(dir: Direction, bytes: Uint8Array, frame: number, time: number | null): void {
    dir.nextSeq = (present(dir.nextSeq) + bytes.length) >>> 0;
    dir.consumer.data(bytes, frame, time);
  }

  /** Deliver held segments that now continue the stream. */
  private drainHeld(dir: Direction): void {
    let progressed = true;
    while (progressed && dir.held.size > 0) {
      progressed = false;
      for (const [seq, h] of dir.held) {
        const ahead = (seq - present(dir.nextSeq)) | 0;
        if (ahead > 0) continue;
        dir.held.delete(seq);
        dir.heldBytes -= h.bytes.length;
        if (h.bytes.length + ahead > 0) this.deliver(dir, h.bytes.subarray(-ahead), h.frame, h.time);
        progressed = true;
      }
    }
    if (dir.held.size === 0) dir.heldSince = null;
  }

  /** Give up on the missing bytes before the earliest held segment and go on from there. */
  private skipHole(dir: Direction): void {
    let first: Held | null = null;
    for (const h of dir.held.values()) if (!first || ((h.seq - first.seq) | 0) < 0) first = h;
    if (!first) return;
    const missing = (first.seq - present(dir.nextSeq)) >>> 0;
    if (!dir.gapReported) {
      dir.gapReported = true;
      this.out.problem({
        where: `frame ${first.frame}`,
        message: `TCP stream ${dir.consumer.label}: ${missing} bytes never captured before this segment; SIP after the hole was still read`,
        severity: "warning",
      });
    }
    dir.consumer.gap();
    dir.nextSeq = first.seq;
    dir.holeAcked = false;
    this.drainHeld(dir);
    if (dir.held.size > 0) dir.heldSince = first.time;
  }
}
