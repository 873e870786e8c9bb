/**
 * Shared plumbing of the text readers: a format parser announces blocks ("this is what follows:
 * time, addresses, transport") and feeds the block's SIP lines; the assembler frames messages,
 * attaches the block's metadata and reports cut messages. Datagram blocks are framed on their
 * own; stream blocks (TCP, TLS, WebSocket) continue the framer of their flow, so a message split
 * over two segments, or two messages in one segment, come out right.
 */
import type { Endpoint, Problem, Transport } from "@siplens/contracts";
import type { RawSipMessage } from "../types.js";
import type { LineEnd } from "./line-reader.js";
import { LineMessageFramer, type FramedMessage } from "./message-framer.js";

export interface TextSink {
  message(m: RawSipMessage): void;
  problem(p: Problem): void;
}

export interface BlockMeta {
  time: number | null;
  src: Endpoint | null;
  dst: Endpoint | null;
  transport: Transport;
  /** For single-endpoint logs: whether the logging element sent or received the message. */
  direction?: "sent" | "received";
  /** IPv4 Identification of the packet, where the text shows it (see RawSipMessage.ipId). */
  ipId?: number;
  /** Added to while the block is read, until its message is delivered (see RawSipMessage.notes). */
  notes?: string[];
}

export const NO_META: BlockMeta = { time: null, src: null, dst: null, transport: "unknown" };

const STREAM_TRANSPORTS = new Set<Transport>(["tcp", "tls", "ws", "wss"]);

const endpointKey = (e: Endpoint | null) => (e ? `${e.ip}|${e.port ?? ""}` : "?");

/** Identifies one direction of a connection: transport, source, destination. */
export const flowKey = (meta: BlockMeta) => `${meta.transport}|${endpointKey(meta.src)}>${endpointKey(meta.dst)}`;

export class MessageAssembler {
  private readonly datagram: LineMessageFramer<BlockMeta>;
  private readonly flows = new Map<string, LineMessageFramer<BlockMeta>>();
  private current: LineMessageFramer<BlockMeta>;
  private meta: BlockMeta = NO_META;
  private inBlock = false;

  constructor(private readonly sink: TextSink) {
    this.datagram = new LineMessageFramer((m) => this.deliver(m));
    this.current = this.datagram;
  }

  /**
   * Starts a block; the previous block ends here. `packet` says the block is one captured packet's
   * payload (ngrep, tcpdump): on a stream transport it continues its flow. Otherwise the block
   * holds whole messages (the tool reassembled them).
   */
  startBlock(meta: BlockMeta, packet = false): void {
    this.endBlock();
    this.meta = meta;
    this.inBlock = true;
    if (packet && STREAM_TRANSPORTS.has(meta.transport) && meta.src && meta.dst) {
      const key = flowKey(meta);
      let framer = this.flows.get(key);
      if (!framer) {
        framer = new LineMessageFramer((m) => this.deliver(m));
        this.flows.set(key, framer);
      }
      this.current = framer;
    } else {
      this.current = this.datagram;
    }
  }

  /** Changes the metadata given to messages that start from now on, without ending the block. */
  setMeta(meta: BlockMeta): void {
    this.meta = meta;
  }

  /** A SIP line of the current block (or of the whole input when the format has no blocks). */
  line(text: string, eol: LineEnd, lineNo: number): void {
    this.current.line(text, eol, lineNo, this.meta);
  }

  /** Ends the current block: a datagram's message is complete now. */
  endBlock(): void {
    if (this.inBlock && this.current === this.datagram) this.datagram.flush();
    this.inBlock = false;
    this.current = this.datagram;
    this.meta = NO_META;
  }

  /** End of input: flushes every flow too. */
  end(): void {
    this.endBlock();
    this.datagram.flush();
    for (const framer of this.flows.values()) framer.flush();
    this.flows.clear();
  }

  problem(where: string, message: string, severity: Problem["severity"] = "warning"): void {
    this.sink.problem({ where, message, severity });
  }

  private deliver(m: FramedMessage<BlockMeta>): void {
    const where = `line ${m.line}`;
    const { time, src, dst, transport, direction, ipId } = m.context;
    const raw: RawSipMessage = { text: m.text, time, src, dst, transport, where };
    if (direction) raw.direction = direction;
    if (ipId !== undefined) raw.ipId = ipId;
    if (m.context.notes?.length) raw.notes = [...m.context.notes];
    this.sink.message(raw);
    if (m.repaired) this.sink.problem({ where, message: `SIP message repaired: ${m.repaired}`, severity: "warning" });
    if (m.cut) this.sink.problem({ where, message: `SIP message cut: ${m.cut}`, severity: "warning" });
  }
}
