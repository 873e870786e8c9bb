import type { AnalysisStream, AnalysisWorkerPool } from "../workers/pool.js";

export interface FollowOptions {
  maxInputBytes: number;
  /** Time the worker may wait for the client, in all, before it is given back. */
  maxWaitMs: number;
  onProgress: (bytesRead: number) => void;
}

/**
 * Analyses an upload while it arrives, holding a worker only while there are bytes to analyse:
 * the worker is taken at the first chunk if one is free right now, and given back once it has
 * waited for the client longer than `maxWaitMs` in all, so slow clients cannot starve analysis.
 * Either way the input is stored as it arrives, and `finish()` then returns null: the upload is
 * analysed from storage by the job queue, fairly, when its body is complete.
 */
export function followUpload(pool: AnalysisWorkerPool, options: FollowOptions) {
  let stream: AnalysisStream | null = null;
  let givenUp = false;
  let failure: unknown = null;
  let waitedMs = 0;
  let waitingSince: number | null = null;
  let timer: NodeJS.Timeout | null = null;

  const giveBack = () => {
    givenUp = true;
    stream?.abort();
    stream = null;
  };
  const stopClock = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (waitingSince !== null) waitedMs += Date.now() - waitingSince;
    waitingSince = null;
  };

  return {
    /** The client's next bytes are awaited from now on. */
    waiting(): void {
      if (!stream) return;
      waitingSince = Date.now();
      timer = setTimeout(giveBack, Math.max(0, options.maxWaitMs - waitedMs));
      timer.unref();
    },
    /** Bytes arrived. */
    arrived: stopClock,
    async push(chunk: Uint8Array): Promise<void> {
      if (givenUp || failure) return;
      if (!stream) {
        stream = await pool.openStreamIfFree(options.maxInputBytes, options.onProgress);
        if (!stream) return void (givenUp = true);
      }
      try {
        await stream.push(chunk);
      } catch (error) {
        failure = error;
        stream = null; // push gave the worker back already
      }
    },
    /** Why the analysis of the arriving bytes failed, if it did (the trace's fault or a cap). */
    get failure(): unknown {
      return failure;
    },
    /** The stream to finish and commit, now the body is complete; null: analyse it from storage. */
    finish(): AnalysisStream | null {
      stopClock();
      const taken = stream;
      stream = null;
      return taken;
    },
    abort(): void {
      stopClock();
      giveBack();
    },
  };
}
