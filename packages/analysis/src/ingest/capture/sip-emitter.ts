import type { Endpoint, Problem, Transport } from "@siplens/contracts";
import type { IngestSink } from "../types.js";
import { formatAddress } from "../../address.js";

const decoder = new TextDecoder("utf-8");

/** Where a SIP message was seen on the wire. */
export interface WireContext {
  frame: number;
  time: number | null;
  src: Endpoint | null;
  dst: Endpoint | null;
  transport: Transport;
  /** IPv4 Identification of the carrying packet (datagrams only). */
  ipId?: number;
}

/** Turns located SIP bytes into RawSipMessage deliveries (the only place capture bytes become text). */
export class SipEmitter {
  /** SIP messages delivered so far. */
  count = 0;

  constructor(private readonly sink: IngestSink) {}

  message(bytes: Uint8Array, ctx: WireContext): void {
    this.count++;
    this.sink.message({
      text: decoder.decode(bytes),
      time: ctx.time,
      src: ctx.src,
      dst: ctx.dst,
      transport: ctx.transport,
      where: `frame ${ctx.frame}`,
      frame: ctx.frame,
      ipId: ctx.ipId,
    });
  }

  problem(p: Problem): void {
    this.sink.problem(p);
  }
}

export function endpointLabel(e: Endpoint | null): string {
  if (!e) return "?";
  return formatAddress(e.ip, e.port ?? "?");
}
