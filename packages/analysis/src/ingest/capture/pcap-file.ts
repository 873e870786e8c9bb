import { CaptureInput, type FrameSink, MAX_RECORD_BYTES, locate } from "./frame.js";
import { byteAt } from "../../access.js";

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

export interface PcapHeaderInfo {
  littleEndian: boolean;
  nanoseconds: boolean;
}

/** Byte order and time resolution from the libpcap magic number, or null when it is not one. */
export function pcapMagic(d: Uint8Array): PcapHeaderInfo | null {
  if (d.length < 4) return null;
  const be = ((byteAt(d, 0) << 24) | (byteAt(d, 1) << 16) | (byteAt(d, 2) << 8) | byteAt(d, 3)) >>> 0;
  switch (be) {
    case 0xa1b2c3d4:
      return { littleEndian: false, nanoseconds: false };
    case 0xd4c3b2a1:
      return { littleEndian: true, nanoseconds: false };
    case 0xa1b23c4d:
      return { littleEndian: false, nanoseconds: true };
    case 0x4d3cb2a1:
      return { littleEndian: true, nanoseconds: true };
    default:
      return null;
  }
}

/** Streaming libpcap reader (µs and ns magic, both byte orders). */
export function createPcapFileReader(out: FrameSink): { push(chunk: Uint8Array): void; end(): void; describe(): string | null } {
  const input = new CaptureInput((p) => out.problem(p));
  const q = input.q;
  const stop = input.stop.bind(input);
  let info: PcapHeaderInfo | null = null;
  let linkType = 0;
  let frame = 0;

  function drain(): void {
    if (!info) {
      if (q.length < GLOBAL_HEADER) return;
      const h = q.peek(GLOBAL_HEADER);
      info = pcapMagic(h);
      if (!info) return stop("byte 0", "not a pcap file (bad magic number)");
      const v = new DataView(h.buffer, h.byteOffset, GLOBAL_HEADER);
      linkType = v.getUint32(20, info.littleEndian) & 0x0fffffff; // upper bits carry FCS info
      q.skip(GLOBAL_HEADER);
    }
    const le = info.littleEndian;
    const unit = info.nanoseconds ? 1e9 : 1e6;
    while (!input.stopped && q.length >= RECORD_HEADER) {
      const h = q.peek(RECORD_HEADER);
      const v = new DataView(h.buffer, h.byteOffset, RECORD_HEADER);
      const inclLen = v.getUint32(8, le);
      if (inclLen > MAX_RECORD_BYTES) {
        return stop(locate(frame + 1, q.offset), `damaged capture: packet record claims ${inclLen} bytes; stopped reading here`);
      }
      if (q.length < RECORD_HEADER + inclLen) return;
      const seconds = v.getUint32(0, le);
      const fraction = v.getUint32(4, le);
      frame++;
      const offset = q.offset;
      const data = q.peek(RECORD_HEADER + inclLen).subarray(RECORD_HEADER);
      out.frame({ frame, offset, linkType, time: seconds + fraction / unit, data });
      q.skip(RECORD_HEADER + inclLen);
    }
  }

  return {
    push(chunk) {
      input.feed(chunk, drain);
    },
    end() {
      if (input.stopped) return;
      if (!info) {
        if (q.length > 0) out.problem({ where: "byte 0", message: `truncated capture: only ${q.length} bytes of the 24-byte pcap header`, severity: "error" });
        return;
      }
      if (q.length > 0) {
        out.problem({
          where: locate(frame + 1, q.offset),
          message: `truncated capture: file ends inside packet record ${frame + 1} (${q.length} bytes of it present); everything before was read`,
          severity: "error",
        });
        q.clear();
      }
    },
    describe() {
      if (!info) return null;
      return `pcap (${info.nanoseconds ? "ns" : "µs"}, ${info.littleEndian ? "little" : "big"}-endian, link type ${linkType})`;
    },
  };
}
