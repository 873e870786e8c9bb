import { concatBytes } from "./byte-queue.js";
import { type FrameSink, MAX_RECORD_BYTES, locate } from "./frame.js";
import { plural } from "./skipped-frames.js";
import { byteAt } from "../../access.js";

/**
 * Microsoft Network Monitor 1.x/2.x capture files ("RTSS" / "GMBU"), little-endian throughout:
 * a header with the capture start (SYSTEMTIME, UTC) and the offset of a frame table, which holds the
 * file offset of every frame record. That table is at the end of the file, so the file is read whole
 * before its frames are delivered (NetMon files are small: the tool kept captures in memory).
 */
const MAGIC_V1 = "RTSS";
const MAGIC_V2 = "GMBU";
const HEADER = 32; // up to and including the frame table offset and length

/** NetMon media types that are pcap link types in disguise. */
const MEDIA_ETHERNET = 1;
const MEDIA_TOKEN_RING = 2;
const MEDIA_FDDI = 3;
const MEDIA_RAW_IP = [7, 8, 9]; // NDIS WAN, tunnelling interfaces, wireless WAN
const MEDIA_PCAP_BASE = 0xe000; // 2.x: 0xE000 | a pcap link type
const MEDIA_SPECIAL = 0xffe0; // from here up: events, filters, network info; no packet

function magicOf(d: Uint8Array): string {
  return d.length >= 4 ? String.fromCharCode(byteAt(d, 0), byteAt(d, 1), byteAt(d, 2), byteAt(d, 3)) : "";
}

export function isNetmonMagic(d: Uint8Array): boolean {
  const m = magicOf(d);
  return m === MAGIC_V1 || m === MAGIC_V2;
}

/** The pcap link type of a NetMon media type; null when there is none. */
function linkTypeOf(media: number): number | null {
  if (media === MEDIA_ETHERNET) return 1;
  if (media === MEDIA_TOKEN_RING) return 6;
  if (media === MEDIA_FDDI) return 10;
  if (MEDIA_RAW_IP.includes(media)) return 101;
  if ((media & 0xf000) === MEDIA_PCAP_BASE && media < MEDIA_SPECIAL) return media & 0x0fff;
  return null;
}

export function createNetmonFileReader(out: FrameSink): { push(chunk: Uint8Array): void; end(): void; describe(): string | null } {
  const chunks: Uint8Array[] = [];
  let held = 0;
  let version: string | null = null;

  function read(d: Uint8Array): void {
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const minor = byteAt(d, 4);
    const major = byteAt(d, 5);
    version = `${major}.${minor}`;
    if (major !== 1 && major !== 2)
      return out.problem({ where: "byte 4", message: `Network Monitor file version ${version} is not supported (1.x and 2.x are)`, severity: "error" });
    const media = v.getUint16(6, true);
    const start =
      Date.UTC(
        v.getUint16(8, true),
        v.getUint16(10, true) - 1,
        v.getUint16(14, true),
        v.getUint16(16, true),
        v.getUint16(18, true),
        v.getUint16(20, true),
        v.getUint16(22, true),
      ) / 1000;
    const tableAt = v.getUint32(24, true);
    const tableLen = v.getUint32(28, true);
    if (tableAt + tableLen > d.length || tableLen % 4 !== 0) {
      return out.problem({
        where: "byte 24",
        message: `damaged or truncated Network Monitor file: its frame table (${tableLen} bytes at byte ${tableAt}) is not inside the ${d.length}-byte file; no frame can be located`,
        severity: "error",
      });
    }
    // 1.x records: ms delta (4), lengths (2 + 2); 2.x: µs delta (8), lengths (4 + 4), and from 2.1 a
    // trailer after the data whose first field is the frame's own media type.
    const recordHeader = major === 1 ? 8 : 16;
    const hasTrailer = major === 2 && minor >= 1;
    const unsupported = new Map<number, { count: number; firstFrame: number }>();
    const frames = tableLen / 4;
    for (let frame = 1; frame <= frames; frame++) {
      const at = v.getUint32(tableAt + 4 * (frame - 1), true);
      if (at + recordHeader > d.length)
        return out.problem({
          where: locate(frame, at),
          message: "damaged Network Monitor file: frame table points past the end; stopped reading here",
          severity: "error",
        });
      const delta = major === 1 ? v.getUint32(at, true) / 1e3 : (v.getUint32(at, true) + v.getUint32(at + 4, true) * 4294967296) / 1e6;
      const captured = major === 1 ? v.getUint16(at + 6, true) : v.getUint32(at + 12, true);
      const dataAt = at + recordHeader;
      if (captured > MAX_RECORD_BYTES || dataAt + captured > d.length) {
        return out.problem({
          where: locate(frame, at),
          message: `damaged Network Monitor file: frame record claims ${captured} bytes; stopped reading here`,
          severity: "error",
        });
      }
      const own = hasTrailer && dataAt + captured + 2 <= d.length ? v.getUint16(dataAt + captured, true) : media;
      if (own >= MEDIA_SPECIAL) continue; // NetMon's own records (filters, network info), numbered as frames
      const linkType = linkTypeOf(own);
      if (linkType === null) {
        const u = unsupported.get(own);
        if (u) u.count++;
        else unsupported.set(own, { count: 1, firstFrame: frame });
        continue;
      }
      out.frame({ frame, offset: at, linkType, time: start + delta, data: d.subarray(dataAt, dataAt + captured) });
    }
    for (const [type, u] of unsupported) {
      out.problem({
        where: `frame ${u.firstFrame}`,
        message: `${plural(u.count, "frame was", "frames were")} skipped: Network Monitor media type ${type} is not supported`,
        severity: "warning",
      });
    }
  }

  return {
    push(chunk) {
      // Bounded by the trace reader's input cap.
      chunks.push(chunk.slice()); // the caller may reuse its chunk
      held += chunk.length;
    },
    end() {
      const d = concatBytes(chunks, held);
      chunks.length = 0;
      if (d.length < HEADER) {
        out.problem({ where: "byte 0", message: `truncated capture: only ${d.length} bytes of the ${HEADER}-byte Network Monitor header`, severity: "error" });
        return;
      }
      read(d);
    },
    describe() {
      return version ? `Microsoft Network Monitor ${version}` : null;
    },
  };
}
