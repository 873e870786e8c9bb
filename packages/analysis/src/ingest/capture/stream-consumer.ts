import { ByteQueue, concatBytes } from "./byte-queue.js";
import { frameSipMessage, looksLikeSipStart, skipLineBreaks } from "../../sip/framing.js";
import { readWsFrame, wsFrameCarriesSip, WS_OPCODE, MAX_WS_PAYLOAD } from "./websocket-frames.js";
import { endpointLabel, type SipEmitter, type WireContext } from "./sip-emitter.js";
import { emitHepPacket, isHep3 } from "./hep.js";
import { byteAt } from "../../access.js";

/**
 * What one direction of a TCP connection carries, decided from its first bytes: plain SIP, an
 * HTTP upgrade to WebSocket (RFC 7118), HEP v3 to a collector, or something else (ignored cheaply).
 */
type Mode = "unknown" | "sip" | "ws-handshake" | "ws" | "hep" | "other";

const MAX_HANDSHAKE = 16 * 1024;
/** A SIP message on a stream bigger than this is damage; bounds what one stream may buffer. */
const MAX_STREAM_MESSAGE = 2 * 1024 * 1024;
const CRLFCRLF = [0x0d, 0x0a, 0x0d, 0x0a];
const TLS_HANDSHAKE = 0x16;

function startsWithAscii(d: Uint8Array, text: string): boolean {
  if (d.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (d[i] !== text.charCodeAt(i)) return false;
  return true;
}

function indexOfBytes(d: Uint8Array, needle: readonly number[], from: number): number {
  outer: for (let i = from; i + needle.length <= d.length; i++) {
    for (let j = 0; j < needle.length; j++) if (d[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export class StreamConsumer {
  private mode: Mode = "unknown";
  private readonly q = new ByteQueue();
  private wsParts: Uint8Array[] = [];
  private wsPartsBytes = 0;
  /** Frame and time of the segment that started the bytes now buffered (for truncation reports). */
  private pendingFrame = 0;

  constructor(
    private readonly out: SipEmitter,
    private readonly ctx: WireContext,
    /** Called when the direction starts with a TLS handshake (encrypted SIP cannot be read). */
    private readonly onTls?: (frame: number, label: string) => void,
  ) {}

  /** "a:p -> b:q" for problem messages. */
  get label(): string {
    return `${endpointLabel(this.ctx.src)} -> ${endpointLabel(this.ctx.dst)}`;
  }

  /** True when this direction is not (yet) known to carry SIP: the TCP layer need not reassemble. */
  get ignoring(): boolean {
    return this.mode === "other";
  }

  /** Would a segment starting with these bytes put an ignored stream back in sync? */
  resyncs(d: Uint8Array): boolean {
    return this.resyncMode(d) !== null;
  }

  /** In-order bytes from the TCP layer, seen in `frame` at `time` (a view we must not keep). */
  data(d: Uint8Array, frame: number, time: number | null): void {
    this.consume(d, frame, time);
    this.q.settle();
  }

  private consume(d: Uint8Array, frame: number, time: number | null): void {
    this.ctx.frame = frame;
    this.ctx.time = time;
    if (this.mode === "other") {
      const mode = this.resyncMode(d);
      if (!mode) return;
      this.mode = mode;
      this.ctx.transport = mode === "ws" ? "ws" : "tcp";
    }
    if (this.mode === "unknown") this.mode = this.classify(d);
    if (this.mode === "other") return;
    if (this.q.length === 0) this.pendingFrame = frame;
    this.q.push(d);
    if (this.mode === "ws-handshake") this.readHandshake();
    if (this.mode === "sip") this.readSip();
    else if (this.mode === "ws") this.readWs();
    else if (this.mode === "hep") this.readHep();
  }

  /** Bytes were lost before the next data: drop partial state and wait for a new message start. */
  gap(): void {
    this.q.clear();
    this.wsParts = [];
    this.wsPartsBytes = 0;
    this.mode = "other"; // until a segment starts a SIP message or a WebSocket frame carrying one
  }

  /** Report a message cut off by the end of the capture. */
  finish(): void {
    if (this.q.length > 0 && (this.mode === "sip" || this.mode === "ws" || this.mode === "hep")) {
      this.out.problem({
        where: `frame ${this.pendingFrame}`,
        message: `${this.mode === "ws" ? "WebSocket" : "TCP"} stream ${this.label} ends inside a message (${this.q.length} bytes never completed)`,
        severity: "warning",
      });
    }
    this.q.clear();
  }

  private classify(d: Uint8Array): Mode {
    if (startsWithAscii(d, "GET ") || startsWithAscii(d, "HTTP/1.1 101")) return "ws-handshake";
    if (isHep3(d)) return "hep";
    if (d[0] === TLS_HANDSHAKE && d[1] === 3) this.onTls?.(this.ctx.frame, this.label);
    const mode = this.resyncMode(d);
    if (mode === "ws") this.ctx.transport = "ws";
    return mode ?? "other";
  }

  /** A message start at the beginning of a segment: plain SIP, or a WebSocket frame with SIP. */
  private resyncMode(d: Uint8Array): "sip" | "ws" | null {
    if (looksLikeSipStart(d, skipLineBreaks(d, 0))) return "sip";
    if (wsFrameCarriesSip(d, (p) => looksLikeSipStart(p, skipLineBreaks(p, 0)))) return "ws";
    return null;
  }

  private readHandshake(): void {
    const head = this.q.peek(this.q.length);
    const end = indexOfBytes(head, CRLFCRLF, 0);
    if (end < 0) {
      if (this.q.length > MAX_HANDSHAKE) this.gap();
      return;
    }
    const text = new TextDecoder().decode(head.subarray(0, end)).toLowerCase();
    const upgraded = /\r\nupgrade:\s*websocket/.test(text);
    if (upgraded && /\r\nsec-websocket-extensions:[^\r]*permessage-deflate/.test(text) && text.startsWith("http/1.1 101")) {
      this.out.problem({
        where: `frame ${this.ctx.frame}`,
        message: "WebSocket connection negotiated permessage-deflate; compressed SIP frames cannot be read",
        severity: "warning",
      });
    }
    this.q.skip(end + 4);
    this.ctx.transport = "ws";
    this.mode = upgraded ? "ws" : "other";
    if (!upgraded) this.q.clear();
  }

  private readSip(): void {
    for (;;) {
      const d = this.q.peek(this.q.length);
      const start = skipLineBreaks(d, 0);
      if (start > 0) this.q.skip(start);
      if (this.q.length === 0) return;
      const rest = this.q.peek(this.q.length);
      if (!looksLikeSipStart(rest)) {
        // A start line may still be arriving; otherwise the stream is out of sync.
        if (rest.length < 4096 && !rest.includes(0x0a)) return;
        return this.lostSync("bytes that are not SIP where a message should start");
      }
      const f = frameSipMessage(rest, 0, rest.length);
      if (f.kind === "need-more" || f.kind === "empty") {
        if (rest.length > MAX_STREAM_MESSAGE) this.lostSync(`message larger than ${MAX_STREAM_MESSAGE} bytes`);
        return;
      }
      if (f.kind === "invalid") return this.lostSync(f.reason);
      this.out.message(rest.subarray(0, f.end), this.ctx);
      this.q.skip(f.end);
      this.pendingFrame = this.ctx.frame;
    }
  }

  private lostSync(reason: string): void {
    this.out.problem({ where: `frame ${this.ctx.frame}`, message: `TCP stream ${this.label}: ${reason}; skipped until the next message`, severity: "warning" });
    this.gap();
  }

  /** HEP v3 packets sent to a collector over TCP: length-prefixed, back to back. */
  private readHep(): void {
    while (this.q.length >= 6) {
      const head = this.q.peek(6);
      const len = (byteAt(head, 4) << 8) | byteAt(head, 5);
      if (!isHep3(head) || len < 6) return this.lostSync("bytes that are not a HEP v3 packet");
      if (this.q.length < len) return;
      emitHepPacket(this.q.peek(len), this.ctx.frame, this.ctx.time, this.out);
      this.q.skip(len);
      this.pendingFrame = this.ctx.frame;
    }
  }

  private readWs(): void {
    for (;;) {
      const d = this.q.peek(this.q.length);
      const f = readWsFrame(d, 0, d.length);
      if (f.kind === "incomplete") return;
      if (f.kind === "invalid") {
        this.out.problem({
          where: `frame ${this.ctx.frame}`,
          message: `WebSocket ${this.label}: ${f.reason}; rest of this connection skipped`,
          severity: "warning",
        });
        this.gap();
        this.mode = "other";
        return;
      }
      this.q.skip(f.length);
      this.pendingFrame = this.ctx.frame;
      if (f.opcode >= WS_OPCODE.CLOSE) continue; // control frames
      if (f.opcode !== WS_OPCODE.CONTINUATION) {
        this.wsParts = [];
        this.wsPartsBytes = 0;
      }
      this.wsParts.push(f.payload);
      this.wsPartsBytes += f.payload.length;
      if (this.wsPartsBytes > MAX_WS_PAYLOAD) {
        this.wsParts = [];
        this.wsPartsBytes = 0;
        continue;
      }
      if (!f.fin) continue;
      const message = concatBytes(this.wsParts, this.wsPartsBytes);
      this.wsParts = [];
      this.wsPartsBytes = 0;
      if (f.compressed) continue; // permessage-deflate, reported at the handshake
      const start = skipLineBreaks(message, 0);
      if (looksLikeSipStart(message, start)) this.out.message(message.subarray(start), this.ctx);
    }
  }
}
