import { CaptureInput, type FrameSink, MAX_RECORD_BYTES, locate } from "./frame.js";

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const OPB = 0x00000002; // obsolete Packet Block
const SPB = 0x00000003;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

interface Interface {
  linkType: number;
  snapLen: number;
  /** Timestamp units per second. */
  unitsPerSecond: number;
  offsetSeconds: number;
}

export function isPcapngMagic(d: Uint8Array): boolean {
  return d.length >= 4 && d[0] === 0x0a && d[1] === 0x0d && d[2] === 0x0d && d[3] === 0x0a;
}

/** if_tsresol: MSB clear = negative power of 10, set = negative power of 2. */
function unitsFromTsresol(v: number): number {
  return v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
}

function readInterface(v: DataView, le: boolean, blockLen: number): Interface {
  const iface: Interface = { linkType: v.getUint16(8, le), snapLen: v.getUint32(12, le), unitsPerSecond: 1e6, offsetSeconds: 0 };
  let p = 16;
  const optionsEnd = blockLen - 4;
  while (p + 4 <= optionsEnd) {
    const code = v.getUint16(p, le);
    const len = v.getUint16(p + 2, le);
    if (code === 0 || p + 4 + len > optionsEnd) break;
    if (code === 9 && len >= 1) iface.unitsPerSecond = unitsFromTsresol(v.getUint8(p + 4));
    if (code === 14 && len >= 8) iface.offsetSeconds = Number(v.getBigInt64(p + 4, le));
    p += 4 + ((len + 3) & ~3);
  }
  return iface;
}

/** Streaming pcapng reader: several sections, per-interface link type and time resolution, EPB/SPB/OPB. */
export function createPcapngFileReader(out: FrameSink): { push(chunk: Uint8Array): void; end(): void; describe(): string | null } {
  const input = new CaptureInput((p) => out.problem(p));
  const q = input.q;
  const stop = input.stop.bind(input);
  let le = true;
  let interfaces: Interface[] = [];
  let sections = 0;
  const linkTypes = new Set<number>();
  let frame = 0;
  let skipRemaining = 0; // bytes of a large uninteresting block still to skip
  let warnedUnknownInterface = false;

  function packet(v: DataView, type: number, blockLen: number, offset: number): void {
    let ifaceId = 0;
    let capLen: number;
    let dataStart: number;
    let time: number | null = null;
    if (type === SPB) {
      const iface0 = interfaces[0];
      capLen = Math.min(v.getUint32(8, le), blockLen - 16, iface0 && iface0.snapLen > 0 ? iface0.snapLen : Infinity);
      dataStart = 12;
    } else {
      ifaceId = type === EPB ? v.getUint32(8, le) : v.getUint16(8, le);
      const high = v.getUint32(12, le);
      const low = v.getUint32(16, le);
      capLen = v.getUint32(20, le);
      dataStart = 28;
      const iface = interfaces[ifaceId];
      if (iface) {
        // Split into whole seconds and remainder so µs stamps stay exact.
        const units = high * 4294967296 + low;
        const whole = Math.floor(units / iface.unitsPerSecond);
        time = whole + (units - whole * iface.unitsPerSecond) / iface.unitsPerSecond + iface.offsetSeconds;
      }
    }
    frame++;
    const iface = interfaces[ifaceId];
    if (!iface) {
      if (!warnedUnknownInterface) {
        warnedUnknownInterface = true;
        out.problem({
          where: locate(frame, offset),
          message: `packet refers to interface ${ifaceId}, which no Interface Description Block defined; skipped`,
          severity: "warning",
        });
      }
      return;
    }
    if (dataStart + capLen > blockLen - 4) {
      out.problem({ where: locate(frame, offset), message: `damaged packet block: captured length ${capLen} exceeds the block; skipped`, severity: "warning" });
      return;
    }
    const data = new Uint8Array(v.buffer, v.byteOffset + dataStart, capLen);
    out.frame({ frame, offset, linkType: iface.linkType, time, data });
  }

  function drain(): void {
    while (!input.stopped) {
      if (skipRemaining > 0) {
        const n = Math.min(skipRemaining, q.length);
        q.skip(n);
        skipRemaining -= n;
        if (skipRemaining > 0) return;
      }
      if (q.length < 12) return;
      const offset = q.offset;
      const head = q.peek(12);
      const hv = new DataView(head.buffer, head.byteOffset, 12);
      const type0 = hv.getUint32(0, true);
      if (type0 === SHB) {
        const magic = hv.getUint32(8, true);
        if (magic === BYTE_ORDER_MAGIC) le = true;
        else if (hv.getUint32(8, false) === BYTE_ORDER_MAGIC) le = false;
        else return stop(`byte ${offset}`, "damaged capture: section header with an unknown byte-order magic; stopped reading here");
      } else if (sections === 0) {
        return stop("byte 0", "not a pcapng file (no section header block first)");
      }
      const type = hv.getUint32(0, le);
      const blockLen = hv.getUint32(4, le);
      if (blockLen < 12 || blockLen % 4 !== 0) {
        return stop(locate(frame + 1, offset), `damaged capture: block of type 0x${type.toString(16)} has invalid length ${blockLen}; stopped reading here`);
      }
      const isPacket = type === EPB || type === SPB || type === OPB;
      const needed = type === SHB || type === IDB || isPacket;
      if (!needed) {
        skipRemaining = blockLen;
        continue;
      }
      if (blockLen > MAX_RECORD_BYTES) {
        return stop(locate(frame + 1, offset), `damaged capture: block claims ${blockLen} bytes; stopped reading here`);
      }
      if (q.length < blockLen) return;
      const block = q.peek(blockLen);
      const v = new DataView(block.buffer, block.byteOffset, blockLen);
      if (v.getUint32(blockLen - 4, le) !== blockLen) {
        return stop(locate(frame + 1, offset), "damaged capture: block length fields disagree; stopped reading here");
      }
      if (type === SHB) {
        sections++;
        interfaces = [];
      } else if (type === IDB) {
        if (blockLen >= 20) {
          const iface = readInterface(v, le, blockLen);
          interfaces.push(iface);
          linkTypes.add(iface.linkType);
        }
      } else if (blockLen >= (type === SPB ? 16 : 32)) {
        packet(v, type, blockLen, offset);
      }
      q.skip(blockLen);
    }
  }

  return {
    push(chunk) {
      input.feed(chunk, drain);
    },
    end() {
      if (input.stopped) return;
      if (q.length > 0 || skipRemaining > 0) {
        out.problem({
          where: locate(frame + 1, q.offset),
          message: `truncated capture: file ends inside a block (${q.length} bytes of it present); everything before was read`,
          severity: "error",
        });
        q.clear();
      }
    },
    describe() {
      if (sections === 0) return null;
      const types = [...linkTypes].join(", ");
      return `pcapng (${sections} section${sections === 1 ? "" : "s"}, link type${linkTypes.size === 1 ? "" : "s"} ${types || "none"})`;
    },
  };
}
