import { HttpError } from "../errors.js";

export interface BodyTimeLimits {
  /** Longest pause between two chunks. */
  idleMs: number;
  /** Longest time the whole body may take. */
  totalMs: number;
  /** Stops waiting for the client at once (shutdown); the read throws the signal's reason. */
  signal?: AbortSignal;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const tookTooLong = (totalMs: number) =>
  new HttpError(408, "request-timeout", `the upload took longer than ${seconds(totalMs)}; send it over a faster link or make it smaller`);

/**
 * A request body's chunks, but a 408 once the client pauses longer than `idleMs` or the body takes
 * longer than `totalMs`: a client trickling bytes must not hold the request (and what it holds)
 * for as long as it likes. Only the wait for the client counts as idle, not the time the consumer
 * takes with a chunk. An aborted `signal` ends the wait at once with its reason.
 */
export async function* withinTimeLimits(source: AsyncIterable<Uint8Array>, limits: BodyTimeLimits): AsyncGenerator<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]();
  const deadline = Date.now() + limits.totalMs;
  const { signal } = limits;
  let finished = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const left = deadline - Date.now();
      if (left <= 0) throw tookTooLong(limits.totalMs);
      const idle = left > limits.idleMs;
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const timeout = new Promise<"timeout">((resolve, reject) => {
        timer = setTimeout(() => resolve("timeout"), Math.max(0, Math.min(limits.idleMs, left)));
        onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error("the upload was aborted"));
        signal?.addEventListener("abort", onAbort, { once: true });
      });
      const next = await Promise.race([chunks.next(), timeout]).finally(() => {
        clearTimeout(timer);
        if (onAbort) signal?.removeEventListener("abort", onAbort);
      });
      if (next === "timeout") {
        throw idle ? new HttpError(408, "request-timeout", `the upload stopped: no data arrived for ${seconds(limits.idleMs)}`) : tookTooLong(limits.totalMs);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stops the body stream (not awaited: a pending read may never settle).
    if (!finished) void chunks.return?.()?.catch(() => undefined);
  }
}
