import { itemAt } from "../../access.js";
/**
 * A growable FIFO of bytes for push-based readers: chunks go in at the back, fixed-size records
 * come out at the front. Views returned by `peek` are only valid until the next `push`, so callers
 * copy whatever they keep.
 *
 * A chunk pushed into an empty queue is read in place (no copy of a large input); `settle()` must
 * then be called before returning to the caller, which may reuse its buffer: it copies the unread
 * tail into storage of our own.
 */
/** Start small and double: many TCP directions may each hold a partial message at once. */
const MIN_CAPACITY = 4096;

export class ByteQueue {
  /** Allocated on first need: a reader per TCP direction must cost nothing while it holds nothing. */
  private buf: Uint8Array = new Uint8Array(0);
  private owned = true;
  private start = 0;
  private end = 0;
  /** Absolute input offset of the first unread byte (for "byte N" locations). */
  offset = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.length === 0) {
      this.lend(chunk);
      return;
    }
    if (!this.owned || this.end + chunk.length > this.buf.length) this.makeRoom(chunk.length);
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next `n` bytes without consuming them; caller checks `length >= n` first. */
  peek(n: number): Uint8Array {
    return this.buf.subarray(this.start, this.start + n);
  }

  skip(n: number): void {
    this.start += n;
    this.offset += n;
    if (this.start === this.end) this.start = this.end = 0;
  }

  /** Stop reading the caller's chunk in place: keep a copy of what is still unread. */
  settle(): void {
    if (!this.owned) this.makeRoom(0);
  }

  /** Drop everything buffered (after damage, to stop holding bytes we will never read). */
  clear(): void {
    this.offset += this.length;
    this.start = this.end = 0;
  }

  private lend(chunk: Uint8Array): void {
    if (this.owned) this.spare = this.buf;
    this.buf = chunk;
    this.owned = false;
    this.start = 0;
    this.end = chunk.length;
  }

  /** Our own storage, kept while a caller's chunk is read in place. */
  private spare: Uint8Array | null = null;

  private makeRoom(extra: number): void {
    const live = this.end - this.start;
    if (!this.owned) {
      const own = this.spare && this.spare.length >= live + extra ? this.spare : new Uint8Array(Math.max(MIN_CAPACITY, 2 * (live + extra)));
      own.set(this.buf.subarray(this.start, this.end));
      this.buf = own;
      this.owned = true;
      this.spare = null;
    } else if (live + extra <= this.buf.length && this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      let size = Math.max(MIN_CAPACITY, this.buf.length);
      while (size < live + extra) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(this.start, this.end));
      this.buf = next;
    }
    this.start = 0;
    this.end = live;
  }
}

/** One buffer holding `parts` back to back (the part itself when there is only one). */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return itemAt(parts, 0);
  const out = new Uint8Array(total);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}
