import { gunzip } from "node:zlib";
import { promisify } from "node:util";

const gunzipAsync = promisify(gunzip);

/**
 * `{ ...meta, [key]: <stored JSON> }` as bytes, without parsing the stored JSON: it is inflated
 * on libuv's thread pool and concatenated, so a 100 MB result never blocks the event loop.
 */
export async function spliceJson(meta: object, key: string, storedGz: Uint8Array): Promise<Buffer> {
  const inner = await gunzipAsync(storedGz);
  const head = JSON.stringify(meta);
  const prefix = head === "{}" ? `{${JSON.stringify(key)}:` : `${head.slice(0, -1)},${JSON.stringify(key)}:`;
  return Buffer.concat([Buffer.from(prefix), inner, Buffer.from("}")]);
}

/** Parses stored gzip JSON (inflated on the thread pool). */
export async function inflateJson<T = unknown>(storedGz: Uint8Array): Promise<T> {
  return JSON.parse((await gunzipAsync(storedGz)).toString("utf8")) as T;
}
