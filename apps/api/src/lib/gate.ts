import { unavailable } from "../errors.js";

export interface GateOptions {
  /** Pieces of work running at once. */
  slots: number;
  /** How long a piece of work may wait for a slot before it is refused. */
  maxWaitMs: number;
  /** Work waiting at once; more is refused without waiting. */
  maxWaiting: number;
  /** The refusal's message (a 503 with Retry-After). */
  busy: string;
}

/**
 * A counting semaphore for memory-heavy work: at most `slots` run, a few more wait briefly, the
 * rest is told to come back (503 + Retry-After) instead of piling up in memory.
 */
export function createGate(options: GateOptions) {
  let running = 0;
  const waiting: Array<() => void> = [];
  const retryAfter = Math.max(1, Math.ceil(options.maxWaitMs / 1000));
  const refuse = () => unavailable(options.busy, retryAfter);

  function acquire(): Promise<void> {
    if (running < options.slots) {
      running++;
      return Promise.resolve();
    }
    if (waiting.length >= options.maxWaiting) return Promise.reject(refuse());
    return new Promise<void>((resolve, reject) => {
      const admit = () => {
        clearTimeout(timer);
        running++;
        resolve();
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(admit), 1);
        reject(refuse());
      }, options.maxWaitMs);
      timer.unref();
      waiting.push(admit);
    });
  }

  function release(): void {
    running--;
    waiting.shift()?.();
  }

  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
    get stats() {
      return { running, waiting: waiting.length };
    },
  };
}

export type Gate = ReturnType<typeof createGate>;
