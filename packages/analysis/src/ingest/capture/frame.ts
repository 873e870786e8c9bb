import type { Problem } from "@siplens/contracts";
import { ByteQueue } from "./byte-queue.js";

/** One packet record read from a capture file, before any protocol decoding. */
export interface CapturedFrame {
  /** 1-based, counted over every packet record in the file (as Wireshark numbers them). */
  frame: number;
  /** Byte offset of the record in the (uncompressed) capture. */
  offset: number;
  /** LINKTYPE_* value of the interface the packet was captured on. */
  linkType: number;
  /** Seconds since the Unix epoch, or null when the record has no time (pcapng SPB). */
  time: number | null;
  /** Captured bytes; a view that is only valid during the callback. */
  data: Uint8Array;
}

export interface FrameSink {
  frame(f: CapturedFrame): void;
  problem(p: Problem): void;
}

/** Largest packet record we believe; anything bigger is damage (keeps memory bounded). */
export const MAX_RECORD_BYTES = 2 * 1024 * 1024;

export function locate(frame: number, offset: number): string {
  return `frame ${frame} (byte ${offset})`;
}

/** The input side of a capture file reader: buffered bytes, and a stop on damage. */
export class CaptureInput {
  readonly q = new ByteQueue();
  stopped = false;

  constructor(private readonly report: (p: Problem) => void) {}

  /** Buffer a chunk and parse what is complete (nothing once reading has stopped). */
  feed(chunk: Uint8Array, parse: () => void): void {
    if (this.stopped) return;
    this.q.push(chunk);
    parse();
    this.q.settle(); // the caller may reuse its chunk once we return
  }

  /** Damage: report where, drop what is buffered, read no further. */
  stop(where: string, message: string): void {
    this.stopped = true;
    this.q.clear();
    this.report({ where, message, severity: "error" });
  }
}
