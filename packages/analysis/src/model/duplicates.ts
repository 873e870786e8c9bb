/**
 * Tells capture duplicates from real traffic: the same packet seen twice within a few
 * milliseconds with the same bytes, source and destination (an `any` capture, a mirrored port,
 * two interfaces). A retransmission is at least T1/2 later (Timer A/E/G start at T1 = 500 ms),
 * so a short window never swallows one. Where the source gives the IPv4 Identification, a copy must
 * also have the same ID: an element that sends the same message twice within the window (a phone's
 * 100 Trying repeated 0.3 ms later) sends two packets with two IDs, and both are real traffic.
 */
import type { Endpoint } from "@siplens/contracts";
import { itemAt } from "../access.js";

/** Default window: far below any SIP retransmission interval, far above capture jitter. */
const DUPLICATE_WINDOW_SECONDS = 0.02;

interface Seen {
  text: string;
  /** "src>dst" of the copy. */
  route: string;
  time: number;
  ipId: number | undefined;
}

function endpointKey(e: Endpoint): string {
  return `${e.ip}:${e.port ?? ""}`;
}

export class CaptureDuplicateFilter {
  /** Copies seen within the window, by message text (a string's hash is computed once and kept). */
  private readonly recent = new Map<string, Seen[]>();
  private readonly queue: Seen[] = [];
  private head = 0;
  dropped = 0;

  constructor(private readonly windowSeconds = DUPLICATE_WINDOW_SECONDS) {}

  /** True when this message is a capture duplicate of one seen just before (and counts it). */
  isDuplicate(text: string, src: Endpoint | null, dst: Endpoint | null, time: number | null, ipId?: number): boolean {
    // Without time or addresses there is no way to tell a duplicate from a retransmission: keep it.
    if (time === null || src === null || dst === null) return false;
    this.expire(time);
    const route = `${endpointKey(src)}>${endpointKey(dst)}`;
    const copies = this.recent.get(text);
    if (copies) {
      for (const c of copies) {
        // Without an ID on either side (IPv6, TCP, text forms) text, route and time decide alone.
        const samePacket = c.ipId === undefined || ipId === undefined || c.ipId === ipId;
        if (samePacket && c.route === route && Math.abs(time - c.time) <= this.windowSeconds) {
          this.dropped++;
          return true;
        }
      }
    }
    const seen: Seen = { text, route, time, ipId };
    if (copies) copies.push(seen);
    else this.recent.set(text, [seen]);
    this.queue.push(seen);
    return false;
  }

  /** Forget what is older than the window so memory stays bounded by traffic within it. */
  private expire(now: number): void {
    while (this.head < this.queue.length) {
      const first = itemAt(this.queue, this.head);
      if (now - first.time <= this.windowSeconds) break;
      const copies = this.recent.get(first.text);
      if (copies) {
        const at = copies.indexOf(first);
        if (at !== -1) copies.splice(at, 1);
        if (copies.length === 0) this.recent.delete(first.text);
      }
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
