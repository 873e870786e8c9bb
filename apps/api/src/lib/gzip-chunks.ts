import { createGunzip, createGzip } from "node:zlib";

/** Size of one stored piece of the compressed input. */
const STORED_CHUNK_BYTES = 1024 * 1024;

/**
 * Compresses a byte stream and hands the gzip output over in pieces of STORED_CHUNK_BYTES, so
 * an upload is stored while it arrives and never held whole. `write` resolves when zlib accepts
 * more input; `sink` is awaited for each piece, which is the backpressure to the database.
 */
export function createGzipChunker(sink: (piece: Uint8Array, seq: number) => Promise<void>) {
  const gzip = createGzip({ level: 6 });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let sinking: Promise<void> = Promise.resolve();
  let failed: Error | null = null;

  const flushPiece = (final: boolean) => {
    while (pendingBytes >= STORED_CHUNK_BYTES || (final && pendingBytes > 0)) {
      const all = Buffer.concat(pending);
      const piece = all.subarray(0, Math.min(STORED_CHUNK_BYTES, all.length));
      const rest = all.subarray(piece.length);
      pending = rest.length ? [rest] : [];
      pendingBytes = rest.length;
      const n = seq++;
      sinking = sinking
        .then(() => sink(new Uint8Array(piece), n))
        .catch((e) => {
          failed ??= e instanceof Error ? e : new Error(String(e));
        });
    }
  };
  gzip.on("data", (data: Buffer) => {
    pending.push(data);
    pendingBytes += data.length;
    flushPiece(false);
  });

  // A read through a function: the stored piece's callback sets `failed` while this side awaits.
  const throwIfFailed = () => {
    if (failed) throw failed;
  };

  return {
    async write(chunk: Uint8Array): Promise<void> {
      throwIfFailed();
      if (!gzip.write(chunk)) await new Promise<void>((resolve) => gzip.once("drain", resolve));
      // Do not let stored pieces queue up behind a slow database.
      await sinking;
      throwIfFailed();
    },
    async end(): Promise<number> {
      await new Promise<void>((resolve, reject) => {
        gzip.once("error", reject);
        gzip.once("end", resolve);
        gzip.end();
      });
      flushPiece(true);
      await sinking;
      throwIfFailed();
      return seq;
    },
    destroy(): void {
      gzip.destroy();
    },
  };
}

/** Inflates stored pieces back into the original bytes, streaming. */
export async function* gunzipPieces(pieces: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  const feed = (async () => {
    try {
      for await (const piece of pieces) {
        if (!gunzip.write(piece)) await new Promise<void>((resolve) => gunzip.once("drain", resolve));
      }
      gunzip.end();
    } catch (error) {
      gunzip.destroy(error as Error);
    }
  })();
  for await (const data of gunzip) yield new Uint8Array(data as Buffer);
  await feed;
}

/** Cuts input compressed in one go (a paste) into stored pieces, like createGzipChunker's. */
export function splitPieces(bytes: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += STORED_CHUNK_BYTES) pieces.push(bytes.subarray(at, at + STORED_CHUNK_BYTES));
  return pieces;
}

/** Joins gunzip's small outputs into ~256 KiB messages for the worker. */
export async function* rebatch(source: AsyncIterable<Uint8Array>, size = 256 * 1024): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let bytes = 0;
  for await (const part of source) {
    parts.push(part);
    bytes += part.length;
    if (bytes >= size) {
      yield Buffer.concat(parts);
      parts = [];
      bytes = 0;
    }
  }
  if (bytes) yield Buffer.concat(parts);
}
