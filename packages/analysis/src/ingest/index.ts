import { Gunzip } from "fflate";
import type { DetectedFormat, IngestSink, Ingestor } from "./types.js";
import { createCaptureIngestor, type CaptureIngestor } from "./capture/index.js";
import { createHepStreamIngestor } from "./capture/hep-stream.js";
import { concatBytes } from "./capture/byte-queue.js";
import { BINARY_FORMAT_NAMES, MAGIC_BYTES, describeGzipped, looksBinary, sniffBinary, type Sniffed } from "./detect.js";
import { TEXT_FORMAT_NAMES, createTextIngestor, detectTextFormat } from "./text/index.js";
import { createUtf16Transcoder, decodeUtf16, detectUtf16 } from "./text/utf16.js";
import { present } from "../access.js";

export type { IngestSink } from "./types.js";

export interface TraceReaderOptions {
  /** Cap on input bytes, and on bytes inflated from gzip. Default 512 MiB. */
  maxInputBytes?: number;
}

export interface TraceReader extends Ingestor {
  /** The format found in the first bytes; null until decided (and when nothing matched). */
  detected(): DetectedFormat | null;
  /** When the input is not a trace at all: the human names of every format tried; otherwise null. */
  notATrace(): string[] | null;
}

const DEFAULT_MAX_INPUT_BYTES = 512 * 1024 * 1024;
/** How much text the text detectors get to look at. */
const TEXT_SAMPLE_BYTES = 64 * 1024;
/** Compressed bytes fed to the inflater at a time, so one push cannot inflate without bound. */
const GZIP_SLICE = 16 * 1024;

/**
 * The one entry point for any input: buffers the first bytes, un-gzips, recognises pcap/pcapng/HEP
 * by magic number and otherwise lets the text readers recognise the text. Never throws on input.
 */
export function createTraceReader(sink: IngestSink, opts: TraceReaderOptions = {}): TraceReader {
  return createReader(sink, opts.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES, false);
}

function createReader(sink: IngestSink, maxBytes: number, insideGzip: boolean): TraceReader {
  let head: Uint8Array[] = [];
  let headBytes = 0;
  let total = 0;
  let inner: Ingestor | null = null;
  let format: DetectedFormat | null = null;
  let describe: (() => DetectedFormat | null) | null = null;
  let tried: string[] | null = null;
  let stopped = false;
  let notATraceInside: (() => string[] | null) | null = null;

  /** What the magic bytes said, once there were enough of them. */
  let sniffed: Sniffed = { kind: "undecided" };

  function decide(final: boolean): void {
    // Text waits for a fuller sample; checked before concatenating so trickled input stays linear.
    const waitForText = () => sniffed.kind === "text" && !final && headBytes < TEXT_SAMPLE_BYTES;
    if (waitForText()) return;
    const sample = concatBytes(head, headBytes);
    head = [sample];
    if (sniffed.kind === "undecided") sniffed = sniffBinary(sample);
    if (waitForText()) return;
    switch (sniffed.kind) {
      case "undecided":
        if (final) return notATrace(sample);
        return;
      case "gzip": {
        if (insideGzip) return notATrace(sample);
        const gz = createGunzipReader(sink, maxBytes);
        inner = gz;
        describe = () => {
          const f = gz.detected();
          return f ? describeGzipped(f) : null;
        };
        notATraceInside = () => gz.notATrace();
        break;
      }
      case "pcap":
      case "pcapng":
      case "netmon": {
        const kind = sniffed.kind;
        const capture: CaptureIngestor = createCaptureIngestor(kind, sink);
        inner = capture;
        describe = () => ({ format: kind, name: capture.describe() ?? kind });
        break;
      }
      case "hep":
        inner = createHepStreamIngestor(sink);
        format = { format: "hep", name: "HEP v3 packet stream" };
        break;
      case "text": {
        const utf16 = detectUtf16(sample);
        if (!utf16 && looksBinary(sample)) return notATrace(sample);
        const found = detectTextFormat(utf16 ? decodeUtf16(utf16, sample) : new TextDecoder("utf-8").decode(sample));
        if (!found) return notATrace(sample, utf16 ? `${utf16.toUpperCase()} text, decoded, but not a trace` : undefined);
        format = utf16 ? { format: found.format, name: `${found.name}, ${utf16.toUpperCase()}` } : found;
        inner = utf16 ? createUtf16Transcoder(utf16, createTextIngestor(found, sink)) : createTextIngestor(found, sink);
        break;
      }
    }
    head = [];
    headBytes = 0;
    present(inner).push(sample);
  }

  function notATrace(sample: Uint8Array, what?: string): void {
    tried = [...BINARY_FORMAT_NAMES, ...TEXT_FORMAT_NAMES];
    stopped = true;
    head = [];
    headBytes = 0;
    if (!insideGzip) {
      sink.problem({
        where: "byte 0",
        message: `not a recognisable trace (${sample.length === 0 ? "empty input" : (what ?? "unknown content")}); tried: ${tried.join(", ")}`,
        severity: "error",
      });
    }
  }

  return {
    push(chunk) {
      if (stopped || chunk.length === 0) return;
      total += chunk.length;
      if (total > maxBytes) {
        stopped = true;
        const over = chunk.subarray(0, chunk.length - (total - maxBytes));
        if (inner) inner.push(over);
        sink.problem({ where: `byte ${maxBytes}`, message: `input larger than the ${maxBytes}-byte limit; the rest was not read`, severity: "error" });
        return;
      }
      if (inner) return inner.push(chunk);
      head.push(chunk.slice());
      headBytes += chunk.length;
      if (headBytes >= MAGIC_BYTES) decide(false);
    },
    end() {
      if (!inner && !tried) decide(true);
      const i = inner;
      inner = null;
      stopped = true;
      i?.end();
    },
    detected: () => describe?.() ?? format,
    notATrace: () => tried ?? notATraceInside?.() ?? null,
  };
}

/** Inflates gzip input (streaming, capped) into a reader of its own that detects the inner format. */
function createGunzipReader(sink: IngestSink, maxBytes: number): TraceReader {
  const innerReader = createReader(sink, Number.POSITIVE_INFINITY, true);
  let inflated = 0;
  let compressed = 0;
  let failed = false;
  const gunzip = new Gunzip((chunk) => {
    if (failed) return;
    inflated += chunk.length;
    if (inflated > maxBytes) {
      failed = true;
      innerReader.push(chunk.subarray(0, chunk.length - (inflated - maxBytes)));
      sink.problem({
        where: `byte ${compressed} (compressed)`,
        message: `gzip content exceeds the ${maxBytes}-byte limit; the rest was not read`,
        severity: "error",
      });
      return;
    }
    innerReader.push(chunk);
  });

  function feed(chunk: Uint8Array, final: boolean): void {
    try {
      for (let p = 0; p < chunk.length && !failed; p += GZIP_SLICE) {
        const slice = chunk.subarray(p, p + GZIP_SLICE);
        gunzip.push(slice, final && p + GZIP_SLICE >= chunk.length);
        compressed += slice.length;
      }
      if (final && chunk.length === 0 && !failed) gunzip.push(new Uint8Array(0), true);
    } catch (e) {
      failed = true;
      const reason = e instanceof Error ? e.message : String(e);
      sink.problem({
        where: `byte ${compressed} (compressed)`,
        message: `damaged or truncated gzip data (${reason}); everything before was read`,
        severity: "error",
      });
    }
  }

  // fflate re-reads what it holds on every push, so bytes that trickle in (a slow client, a 1-byte
  // TCP segment each) are gathered into slices first: cost stays linear in the compressed size.
  let waiting: Uint8Array[] = [];
  let waitingBytes = 0;
  const takeWaiting = () => {
    const all = concatBytes(waiting, waitingBytes);
    waiting = [];
    waitingBytes = 0;
    return all;
  };

  return {
    push: (chunk) => {
      if (failed) return;
      if (waitingBytes === 0 && chunk.length >= GZIP_SLICE) return feed(chunk, false);
      waiting.push(chunk.slice());
      waitingBytes += chunk.length;
      if (waitingBytes >= GZIP_SLICE) feed(takeWaiting(), false);
    },
    end: () => {
      if (!failed) feed(takeWaiting(), true);
      innerReader.end();
      const tried = innerReader.notATrace();
      if (tried) {
        sink.problem({
          where: "byte 0",
          message: `gzip-compressed, but the content is not a recognisable trace; tried: ${tried.join(", ")}`,
          severity: "error",
        });
      }
    },
    detected: () => innerReader.detected(),
    notATrace: () => innerReader.notATrace(),
  };
}
