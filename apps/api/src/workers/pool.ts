import { Worker } from "node:worker_threads";
import type { AnalysisOutput, CommitTarget, FromWorker, ToWorker, WorkerData, WorkerFailure, WorkerMemory } from "./protocol.js";

/** Why an analysis did not produce a result. `not-a-trace` carries the formats tried. */
export class AnalysisFailure extends Error {
  constructor(
    readonly kind: WorkerFailure["kind"] | "timeout" | "out-of-memory" | "crashed",
    message: string,
    readonly tried: string[] = [],
  ) {
    super(message);
    this.name = "AnalysisFailure";
  }
}

export interface PoolOptions {
  size: number;
  /** Workers store their analyses themselves (commit.ts). */
  databaseUrl: string;
  timeoutMs: number;
  maxHeapMb: number;
  /** The workers' nice value (0: the API's own priority). */
  niceness?: number;
}

/** Chunks posted to a worker before we wait for it to catch up (bounds the worker's queue). */
const MAX_CHUNKS_IN_FLIGHT = 4;

const sourceMode = import.meta.url.endsWith(".ts");
const workerUrl = new URL(sourceMode ? "./analysis-worker-source.mjs" : "./analysis-worker.js", import.meta.url);

/** One worker thread; it serves one lease at a time and hands messages to whoever holds it. */
class PooledWorker {
  readonly thread: Worker;
  private inbox: FromWorker[] = [];
  private waiter: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  onProgress: ((bytesRead: number) => void) | null = null;
  readonly ready: Promise<void>;

  constructor(options: PoolOptions) {
    this.thread = new Worker(workerUrl, {
      execArgv: sourceMode ? ["--conditions=source"] : [],
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      workerData: { databaseUrl: options.databaseUrl, niceness: options.niceness ?? 0 } satisfies WorkerData,
    });
    this.thread.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      this.thread.once("message", (m: FromWorker) => (m.type === "ready" ? resolve() : reject(new Error("worker did not start"))));
      this.thread.once("error", reject);
    });
    this.ready.then(
      () => this.thread.on("message", (m: FromWorker) => this.deliver(m)),
      () => undefined,
    );
    this.thread.on("error", (error: Error & { code?: string }) => {
      this.fail(
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new AnalysisFailure("out-of-memory", "the trace needs more memory than one analysis may use")
          : new AnalysisFailure("crashed", `analysis worker crashed: ${error.message}`),
      );
    });
    this.thread.on("exit", () => this.fail(new AnalysisFailure("crashed", "analysis worker stopped")));
  }

  get broken(): boolean {
    return this.failure !== null;
  }

  send(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    if (this.failure) throw this.failure;
    this.thread.postMessage(message, transfer);
  }

  /** The next message that is not a progress report. */
  next(): Promise<FromWorker> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.waiter?.reject(error);
    this.waiter = null;
  }

  reset(): void {
    this.inbox = [];
    this.onProgress = null;
  }

  private deliver(message: FromWorker): void {
    if (message.type === "progress") {
      this.onProgress?.(message.bytesRead);
      return;
    }
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve(message);
    } else this.inbox.push(message);
  }
}

function failureOf(message: FromWorker): AnalysisFailure {
  if (message.type === "failed") return new AnalysisFailure(message.error.kind, message.error.message, message.error.tried ?? []);
  return new AnalysisFailure("error", `unexpected worker message ${message.type}`);
}

/** What a stored analysis reports: whether anything was written, and the worker's peak memory. */
export interface Committed {
  committed: boolean;
  output: AnalysisOutput;
  memory: WorkerMemory;
}

/** After "text" or "stream-finish": waits for the analysis, then has the worker store it. */
async function commitOn(worker: PooledWorker, target: CommitTarget): Promise<Committed> {
  const reply = await worker.next();
  if (reply.type !== "analysed") throw failureOf(reply);
  worker.send({ type: "commit", target });
  const committed = await worker.next();
  if (committed.type !== "committed") throw failureOf(committed);
  return { committed: committed.committed, output: reply.output, memory: committed.memory };
}

/** Streams input into one worker: push() resolves once the worker keeps up; finishAndCommit() stores the analysis. */
export interface AnalysisStream {
  push(chunk: Uint8Array): Promise<void>;
  /** Finishes and stores the analysis from the worker; committed is false when there was nothing to do (see commitAnalysis). */
  finishAndCommit(target: CommitTarget): Promise<Committed>;
  /** Gives the worker back (terminating it if it was mid-task). Safe to call twice. */
  abort(): void;
}

/**
 * A fixed-size pool of analysis worker threads. Each task holds one worker; the time cap
 * terminates the worker (and replaces it), the heap cap is the worker's resourceLimits.
 */
export class AnalysisWorkerPool {
  private idle: PooledWorker[] = [];
  private busy = 0;
  private queue: Array<(w: PooledWorker) => void> = [];
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  get stats() {
    return { busy: this.busy, idle: this.idle.length, waiting: this.queue.length };
  }

  /** Analyses a paste and stores it (input, analysis, parts) from the worker. */
  async analyzeTextAndStore(text: string, maxInputBytes: number, target: CommitTarget): Promise<Committed> {
    return this.withWorker(async (worker) => {
      worker.send({ type: "text", text, maxInputBytes });
      return commitOn(worker, target);
    });
  }

  /** Like openStream, but only on a worker free right now: null when every worker is taken or awaited. */
  async openStreamIfFree(maxInputBytes: number, onProgress?: (bytesRead: number) => void): Promise<AnalysisStream | null> {
    if (this.closed || this.queue.length || (this.idle.length === 0 && this.busy >= this.options.size)) return null;
    return this.openStream(maxInputBytes, onProgress);
  }

  async openStream(maxInputBytes: number, onProgress?: (bytesRead: number) => void): Promise<AnalysisStream> {
    const { worker, release } = await this.acquire();
    worker.onProgress = onProgress ?? null;
    let inFlight = 0;
    let done = false;
    const end = (ok: boolean) => {
      if (done) return;
      done = true;
      release(ok);
    };
    const awaitAck = async () => {
      const reply = await worker.next();
      if (reply.type !== "ack") throw failureOf(reply);
      inFlight--;
    };
    try {
      worker.send({ type: "stream-start", maxInputBytes });
    } catch (error) {
      end(false);
      throw error;
    }
    return {
      push: async (chunk) => {
        try {
          const copy = new Uint8Array(chunk); // own buffer, so it can be transferred
          worker.send({ type: "chunk", data: copy }, [copy.buffer]);
          inFlight++;
          while (inFlight >= MAX_CHUNKS_IN_FLIGHT) await awaitAck();
        } catch (error) {
          end(false);
          throw error;
        }
      },
      finishAndCommit: async (target) => {
        try {
          while (inFlight > 0) await awaitAck();
          worker.send({ type: "stream-finish" });
          const committed = await commitOn(worker, target);
          end(true);
          return committed;
        } catch (error) {
          end(false);
          throw error;
        }
      },
      abort: () => end(false),
    };
  }

  /** Starts one worker ahead of need, so the first request does not wait for a thread to boot. */
  async warm(): Promise<void> {
    if (this.closed || this.idle.length || this.busy) return;
    const { release } = await this.acquire();
    release(true);
  }

  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle;
    this.idle = [];
    await Promise.all(idle.map((w) => w.thread.terminate()));
  }

  private async withWorker<T>(task: (worker: PooledWorker) => Promise<T>): Promise<T> {
    const { worker, release } = await this.acquire();
    try {
      const value = await task(worker);
      release(true);
      return value;
    } catch (error) {
      // A failed reply leaves the worker healthy; a crash, timeout or OOM does not.
      release(!worker.broken && error instanceof AnalysisFailure && ["not-a-trace", "too-large", "error"].includes(error.kind));
      throw error;
    }
  }

  /** Waits for a free worker and starts the time cap; release(false) terminates it. */
  private async acquire(): Promise<{ worker: PooledWorker; release: (healthy: boolean) => void }> {
    if (this.closed) throw new AnalysisFailure("crashed", "the analysis service is shutting down");
    const worker = await this.take();
    const timer = setTimeout(() => {
      worker.fail(new AnalysisFailure("timeout", `the analysis took longer than ${Math.round(this.options.timeoutMs / 1000)} s`));
      void worker.thread.terminate();
    }, this.options.timeoutMs);
    timer.unref();
    let released = false;
    return {
      worker,
      release: (healthy) => {
        if (released) return;
        released = true;
        clearTimeout(timer);
        worker.reset();
        if (!healthy || worker.broken) {
          worker.fail(new AnalysisFailure("crashed", "worker retired"));
          void worker.thread.terminate();
          this.busy--;
          this.handOver(null);
        } else {
          this.busy--;
          this.handOver(worker);
        }
      },
    };
  }

  private async take(): Promise<PooledWorker> {
    const idle = this.idle.pop();
    if (idle) {
      this.busy++;
      return idle;
    }
    if (this.busy < this.options.size) {
      this.busy++;
      const worker = new PooledWorker(this.options);
      try {
        await worker.ready;
      } catch (error) {
        this.busy--;
        throw new AnalysisFailure("crashed", `analysis worker failed to start: ${(error as Error).message}`);
      }
      return worker;
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** Gives a free slot (or a healthy worker) to the next waiting task. */
  private handOver(worker: PooledWorker | null): void {
    const next = this.queue.shift();
    if (!next) {
      if (worker && !this.closed) this.idle.push(worker);
      else if (worker) void worker.thread.terminate();
      return;
    }
    if (worker) {
      this.busy++;
      next(worker);
      return;
    }
    this.busy++;
    const fresh = new PooledWorker(this.options);
    fresh.ready.then(
      () => next(fresh),
      () => {
        // Could not start a worker: keep the task waiting and try again shortly.
        this.busy--;
        this.queue.unshift(next);
        setTimeout(() => this.handOver(null), 1000).unref();
      },
    );
  }
}
