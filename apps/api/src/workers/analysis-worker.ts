import { parentPort, workerData } from "node:worker_threads";
import { gunzipSync, gzipSync } from "node:zlib";
import { NotATraceError, analyzeText, createAnalyzer, createRedaction } from "@siplens/analysis";
import type { AnalysisResult } from "@siplens/contracts";
import { commitJob } from "./job-commit.js";
import type { AnalysisOutput, FromWorker, ToWorker, WorkerData, WorkerFailure } from "./protocol.js";

/**
 * Runs analyses off the API's event loop. The pool caps its heap (resourceLimits) and its time
 * (terminates it), so a hostile or huge trace can only kill this thread, never the API.
 */
const port = parentPort;
if (!port) throw new Error("analysis-worker must run in a worker thread");

const send = (message: FromWorker) => {
  const bytes = message.type === "analysed" ? message.output.resultGz : message.type === "redacted" ? message.resultGz : null;
  port.postMessage(message, bytes ? [bytes.buffer as ArrayBuffer] : []);
};
/** A fresh (transferable) buffer of gzip-compressed JSON. */
const gzipJson = (value: unknown) => new Uint8Array(gzipSync(JSON.stringify(value), { level: 6 }));
const PROGRESS_EVERY_BYTES = 1 << 20;

let analyzer: ReturnType<typeof createAnalyzer> | null = null;
/** The last streamed analysis, until it is sent back or committed. */
let finished: AnalysisOutput | null = null;
const { databaseUrl } = workerData as WorkerData;

function toOutput(result: AnalysisResult): AnalysisOutput {
  return {
    resultGz: gzipJson(result),
    format: result.format,
    formatName: result.formatName,
    inputBytes: result.inputBytes,
    messageCount: result.messageCount,
    callCount: result.calls.length,
    findings: result.findings.map((f) => ({ findingId: f.id, code: f.code, severity: f.severity, title: f.title, callIds: f.callIds })),
  };
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
    send({ type: "progress", bytesRead });
  };
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "stream-start":
      analyzer = createAnalyzer({ maxInputBytes: message.maxInputBytes, onProgress: progressReporter() });
      return;
    case "chunk":
      if (!analyzer) throw new Error("chunk before stream-start");
      analyzer.push(message.data);
      send({ type: "ack" });
      return;
    case "stream-finish": {
      if (!analyzer) throw new Error("finish before stream-start");
      const result = analyzer.finish();
      analyzer = null;
      finished = toOutput(result);
      // Only the small summary goes back; the result waits here for "commit-job".
      send({ type: "analysed", output: { ...finished, resultGz: new Uint8Array(0) } });
      return;
    }
    case "text":
      send({ type: "analysed", output: toOutput(analyzeText(message.text, { maxInputBytes: message.maxInputBytes })) });
      return;
    case "commit-job": {
      if (!finished || !databaseUrl) throw new Error("nothing to commit");
      const output = finished;
      finished = null;
      try {
        send({ type: "committed", committed: await commitJob(databaseUrl, message.jobId, message.workerId, output) });
      } catch (error) {
        send({ type: "failed", error: { kind: "commit", message: error instanceof Error ? error.message : String(error) } });
      }
      return;
    }
    case "redact": {
      // The title often names the callee ("INVITE sip:+4930…@…"): it gets the same pseudonyms.
      const redaction = createRedaction(JSON.parse(gunzipSync(message.resultGz).toString("utf8")) as AnalysisResult);
      send({ type: "redacted", resultGz: gzipJson(redaction.result), title: redaction.text(message.title) });
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
      send({ type: "failed", error: describe(error) });
    }),
  );
});
send({ type: "ready" });
