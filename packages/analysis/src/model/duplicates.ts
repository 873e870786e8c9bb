/**
 * Tells capture duplicates from real traffic: the same packet seen twice within a few
 * milliseconds with the same bytes, source and destination (an `any` capture, a mirrored port,
 * two interfaces). A retransmission is at least T1/2 later (Timer A/E/G start at T1 = 500 ms),
 * so a short window never swallows one.
 */
import type { Endpoint } from "@siplens/contracts";

/** Default window: far below any SIP retransmission interval, far above capture jitter. */
export const DUPLICATE_WINDOW_SECONDS = 0.02;

interface Seen {
  key: string;
  time: number;
}

function endpointKey(e: Endpoint | null): string {
  return e ? `${e.ip}:${e.port ?? ""}` : "?";
}

export class CaptureDuplicateFilter {
  private readonly recent = new Map<string, number>();
  private readonly queue: Seen[] = [];
  private head = 0;
  dropped = 0;

  constructor(private readonly windowSeconds = DUPLICATE_WINDOW_SECONDS) {}

  /** True when this message is a capture duplicate of one seen just before (and counts it). */
  isDuplicate(text: string, src: Endpoint | null, dst: Endpoint | null, time: number | null): boolean {
    // Without time or addresses there is no way to tell a duplicate from a retransmission: keep it.
    if (time === null || src === null || dst === null) return false;
    this.expire(time);
    const key = `${endpointKey(src)}>${endpointKey(dst)}|${text}`;
    const last = this.recent.get(key);
    if (last !== undefined && Math.abs(time - last) <= this.windowSeconds) {
      this.dropped++;
      return true;
    }
    this.recent.set(key, time);
    this.queue.push({ key, time });
    return false;
  }

  /** Forget what is older than the window so memory stays bounded by traffic within it. */
  private expire(now: number): void {
    while (this.head < this.queue.length) {
      const first = this.queue[this.head]!;
      if (now - first.time <= this.windowSeconds) break;
      if (this.recent.get(first.key) === first.time) this.recent.delete(first.key);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
