import { parentPort, workerData } from "node:worker_threads";
import { BlockPayloads, NotATraceError, createAnalyzer, type ResultParts } from "@siplens/analysis";
import { commitAnalysis, outputOf } from "./commit.js";
import { gzipJsonBlockCodec } from "./store-parts.js";
import type { FromWorker, ToWorker, WorkerData, WorkerFailure, WorkerMemory } from "./protocol.js";
import { niceThisThread } from "./thread-priority.js";

/**
 * Runs analyses off the API's event loop, and stores them: the parts are compressed and written
 * here, so a big result never travels to the main thread. The pool caps the heap (resourceLimits)
 * and the time (terminates it), so a hostile or huge trace can only kill this thread, never the API.
 */
const port = parentPort;
if (!port) throw new Error("analysis-worker must run in a worker thread");

const send = (message: FromWorker) => port.postMessage(message);
const PROGRESS_EVERY_BYTES = 1 << 20;
const MB = 1024 * 1024;

let analyzer: ReturnType<typeof createAnalyzer> | null = null;
/** The last analysis, until it is committed. */
let finished: ResultParts | null = null;
const { databaseUrl, niceness } = workerData as WorkerData;
if (niceness) niceThisThread(niceness);

/** Peak memory of the current task, sampled at progress reports and stage ends. */
let peak: WorkerMemory = { heapMb: 0, rssMb: 0 };
function sample(): void {
  const m = process.memoryUsage();
  peak = { heapMb: Math.max(peak.heapMb, Math.round(m.heapUsed / MB)), rssMb: Math.max(peak.rssMb, Math.round(m.rss / MB)) };
}

function describe(error: unknown): WorkerFailure {
  if (error instanceof NotATraceError) return { kind: "not-a-trace", message: error.message, tried: [...error.tried] };
  const message = error instanceof Error ? error.message : String(error);
  if (/max(imum)? input|too large|exceeds/i.test(message)) return { kind: "too-large", message };
  return { kind: "error", message };
}

function progressReporter() {
  let reported = 0;
  return (bytesRead: number) => {
    if (bytesRead - reported < PROGRESS_EVERY_BYTES) return;
    reported = bytesRead;
    sample();
    send({ type: "progress", bytesRead });
  };
}

function analysed(parts: ResultParts): void {
  finished = parts;
  sample();
  // Only the counts go back; the parts wait here for "commit".
  send({ type: "analysed", output: outputOf(parts) });
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "stream-start":
      peak = { heapMb: 0, rssMb: 0 };
      finished = null;
      // An upload's raw texts are most of its size: compressed a block at a time, in their stored form.
      analyzer = createAnalyzer({ maxInputBytes: message.maxInputBytes, onProgress: progressReporter(), payloads: new BlockPayloads(gzipJsonBlockCodec) });
      return;
    case "chunk":
      if (!analyzer) throw new Error("chunk before stream-start");
      analyzer.push(message.data);
      send({ type: "ack" });
      return;
    case "stream-finish": {
      if (!analyzer) throw new Error("finish before stream-start");
      const parts = analyzer.finish();
      analyzer = null;
      analysed(parts);
      return;
    }
    case "text": {
      peak = { heapMb: 0, rssMb: 0 };
      const text = createAnalyzer({ maxInputBytes: message.maxInputBytes });
      text.push(new TextEncoder().encode(message.text));
      analysed(text.finish());
      return;
    }
    case "commit": {
      if (!finished || !databaseUrl) throw new Error("nothing to commit");
      const parts = finished;
      finished = null;
      try {
        const committed = await commitAnalysis(databaseUrl, message.target, parts);
        sample();
        send({ type: "committed", committed, memory: peak });
      } catch (error) {
        send({ type: "failed", error: { kind: "commit", message: error instanceof Error ? error.message : String(error) } });
      }
      return;
    }
  }
}

// Messages are handled one at a time, in order (a commit may await the database).
let queue = Promise.resolve();
port.on("message", (message: ToWorker) => {
  queue = queue.then(() =>
    handle(message).catch((error: unknown) => {
      analyzer = null;
      finished = null;
      send({ type: "failed", error: describe(error) });
    }),
  );
});
send({ type: "ready" });
