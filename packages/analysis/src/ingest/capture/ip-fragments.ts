/**
 * IPv4/IPv6 fragment reassembly with bounded memory: at most MAX_PENDING datagrams and
 * MAX_PENDING_BYTES bytes are held; a datagram not completed within TIMEOUT_SECONDS of capture time
 * (or pushed out by the bounds) is dropped and counted.
 */
export const MAX_PENDING = 256;
const MAX_PENDING_BYTES = 8 * 1024 * 1024;
const MAX_DATAGRAM = 65535 + 8;
const TIMEOUT_SECONDS = 60;

interface Piece {
  offset: number;
  bytes: Uint8Array;
}

interface Pending {
  pieces: Piece[];
  /** Known once the last fragment (more-fragments flag clear) is seen. */
  total: number | null;
  held: number;
  firstTime: number | null;
  firstFrame: number;
}

export interface DroppedFragments {
  count: number;
  firstFrame: number;
}

export class FragmentReassembler {
  private pending = new Map<string, Pending>();
  private heldBytes = 0;
  private dropped: DroppedFragments | null = null;

  /**
   * Add one fragment; returns the whole payload when this fragment completes the datagram.
   * `offset` is in bytes, `more` is the more-fragments flag.
   */
  add(key: string, offset: number, more: boolean, bytes: Uint8Array, time: number | null, frame: number): Uint8Array | null {
    this.expire(time);
    if (offset + bytes.length > MAX_DATAGRAM) return (this.drop(key, frame), null);
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { pieces: [], total: null, held: 0, firstTime: time, firstFrame: frame };
      this.pending.set(key, entry);
    }
    entry.pieces.push({ offset, bytes: bytes.slice() });
    entry.held += bytes.length;
    this.heldBytes += bytes.length;
    if (!more) entry.total = offset + bytes.length;
    const whole = this.assemble(entry);
    if (whole) {
      this.forget(key, entry);
      return whole;
    }
    while (this.pending.size > MAX_PENDING || this.heldBytes > MAX_PENDING_BYTES) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest, frame);
    }
    return null;
  }

  /** Datagrams never completed (timed out, evicted, or still open at the end). */
  finish(): DroppedFragments | null {
    for (const [key, entry] of this.pending) this.drop(key, entry.firstFrame);
    return this.dropped;
  }

  private assemble(entry: Pending): Uint8Array | null {
    if (entry.total === null) return null;
    entry.pieces.sort((a, b) => a.offset - b.offset);
    let covered = 0;
    for (const p of entry.pieces) {
      if (covered >= entry.total) break;
      if (p.offset > covered) return null; // hole
      covered = Math.max(covered, p.offset + p.bytes.length);
    }
    if (covered < entry.total) return null;
    const out = new Uint8Array(entry.total);
    // A piece past the end the last fragment gave (damaged or forged offsets) carries nothing of this datagram.
    for (const p of entry.pieces) if (p.offset < entry.total) out.set(p.bytes.subarray(0, entry.total - p.offset), p.offset);
    return out;
  }

  private expire(now: number | null): void {
    if (now === null) return;
    for (const [key, entry] of this.pending) {
      if (entry.firstTime === null || now - entry.firstTime <= TIMEOUT_SECONDS) break; // Map keeps arrival order
      this.drop(key, entry.firstFrame);
    }
  }

  private forget(key: string, entry: Pending): void {
    this.heldBytes -= entry.held;
    this.pending.delete(key);
  }

  private drop(key: string, frame: number): void {
    const entry = this.pending.get(key);
    if (entry) this.forget(key, entry);
    if (!this.dropped) this.dropped = { count: 0, firstFrame: entry?.firstFrame ?? frame };
    this.dropped.count++;
  }
}
