/**
 * A big upload end to end: `BENCH_UPLOAD=/path/big.pcap npm run bench` (or BENCH_FILE, running this
 * file alone: `pnpm --filter @siplens/api exec tsx --conditions=source bench/parts-bench.ts`).
 * Streams the file over HTTP to /api/analyses/upload, prints the time from its last byte to the
 * 201 (analysed and stored in parts), the worker's peak heap/RSS and the stored bytes, then
 * p50/p99 of call-list pages (with filters and search) and call details on that analysis.
 */
import { execFileSync } from "node:child_process";
import { createReadStream, statSync } from "node:fs";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { createDatabase, DEFAULT_LOCAL_URL, dropDatabase, uniqueDatabaseName } from "@siplens/db/testing";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config/env.js";
import { itemAt, present } from "@siplens/analysis/access";

const file = process.env.BENCH_UPLOAD ?? process.env.BENCH_FILE;
if (!file) {
  console.log("\nbig upload: skipped (set BENCH_UPLOAD to a capture, e.g. the first 330,000 packets of S8b: editcap -r big.pcap sub.pcap 1-330000)");
  process.exit(0);
}
const given = process.env.DATABASE_URL;
const databaseUrl = given ?? (await createDatabase(DEFAULT_LOCAL_URL, uniqueDatabaseName("siplens_bench_parts")));
execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", fileURLToPath(new URL("../../../packages/db/src/cli/migrate.ts", import.meta.url))], {
  env: { ...process.env, DATABASE_URL: databaseUrl },
  stdio: ["ignore", "ignore", "inherit"],
});
const logs: Array<Record<string, unknown>> = [];
const app = await createApp(
  loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "info",
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret-01",
    RATE_LIMIT_MAX: "1000000",
    RATE_LIMIT_ANALYSES_MAX: "1000000",
    UPLOAD_WAIT_MS: "600000",
    ANALYSIS_TIMEOUT_MS: "900000",
    ...(process.env.BENCH_UPLOAD_MAX ? { UPLOAD_MAX_BYTES: process.env.BENCH_UPLOAD_MAX } : {}),
  }),
  { logger: { level: "info", stream: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } } },
);
await app.listen({ port: 0, host: "127.0.0.1" });
const address = app.server.address();
const port = typeof address === "object" && address ? address.port : 0;
const base = `http://127.0.0.1:${port}`;

function upload(): Promise<{ status: number; body: string; cookie: string; lastByteAt: number; doneAt: number }> {
  const boundary = "----siplensbench";
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.pcap"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = statSync(present(file)).size;
  return new Promise((resolve, reject) => {
    let lastByteAt = 0;
    const req = request(
      `${base}/api/analyses/upload`,
      { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": head.length + size + tail.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            cookie: ([] as string[])
              .concat(res.headers["set-cookie"] ?? [])
              .map((c) => c.split(";")[0])
              .join("; "),
            lastByteAt,
            doneAt: Date.now(),
          }),
        );
      },
    );
    req.on("error", reject);
    req.write(head);
    const stream = createReadStream(present(file), { highWaterMark: 1 << 20 });
    stream.on("data", (c) => {
      if (!req.write(c)) {
        stream.pause();
        req.once("drain", () => stream.resume());
      }
    });
    stream.on("end", () => req.end(tail, () => (lastByteAt = Date.now())));
  });
}

const pct = (xs: number[], p: number) =>
  itemAt(
    [...xs].sort((a, b) => a - b),
    Math.min(xs.length - 1, Math.floor((p / 100) * xs.length)),
  );
async function timed(label: string, urls: string[], cookie: string) {
  const ms: number[] = [];
  for (const url of urls) {
    const t = performance.now();
    const res = await fetch(`${base}${url}`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    ms.push(performance.now() - t);
  }
  console.log(`${label}: n=${ms.length} p50=${pct(ms, 50).toFixed(1)} ms p99=${pct(ms, 99).toFixed(1)} ms max=${Math.max(...ms).toFixed(1)} ms`);
}

try {
  const started = Date.now();
  const up = await upload();
  if (up.status !== 201) {
    for (const l of logs) if (Number(l.level) >= 40) console.error(JSON.stringify(l).slice(0, 2000));
    throw new Error(`upload: ${up.status} ${up.body.slice(0, 300)}`);
  }
  const { id, callCount, messageCount } = JSON.parse(up.body) as { id: string; callCount: number; messageCount: number };
  const stored = logs.find((l) => l.msg === "job analysed and stored");
  console.log(`file ${(statSync(file).size / 1e6).toFixed(1)} MB: ${messageCount} messages, ${callCount} calls`);
  console.log(`upload ${((up.lastByteAt - started) / 1000).toFixed(1)} s; last byte -> 201 ${((up.doneAt - up.lastByteAt) / 1000).toFixed(1)} s`);
  console.log(`worker peak memory ${JSON.stringify(stored?.memory)}; API process max RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  const sizes = await app.prisma.$queryRaw<Array<Record<string, bigint>>>`
    SELECT (SELECT sum(length(detail_gz)) FROM analysis_call WHERE analysis_id = ${id}) AS calls,
           (SELECT sum(length(summaries_gz)) FROM analysis_message_block WHERE analysis_id = ${id}) AS summaries,
           (SELECT sum(length(raw_gz)) FROM analysis_message_block WHERE analysis_id = ${id}) AS raw,
           (SELECT sum(length(data)) FROM analysis_input_chunk WHERE analysis_id = ${id}) AS input,
           (SELECT pg_total_relation_size('analysis_call')) AS call_table,
           (SELECT pg_total_relation_size('analysis_message_block')) AS block_table`;
  console.log("stored bytes", Object.fromEntries(Object.entries(itemAt(sizes, 0)).map(([k, v]) => [k, `${(Number(v) / 1e6).toFixed(1)} MB`])));

  const rnd = (n: number) => Math.floor(Math.random() * n);
  const pages = Array.from({ length: 200 }, (_, i) => {
    const cursor = i % 2 ? `&cursor=${rnd(callCount)}` : "";
    const filter = ["", "&outcome=cancelled", "&finding=caller-hangup", "&q=sip:1", `&q=${rnd(9999)}`, "&outcome=answered&finding=fork-branch-lost"][i % 6];
    return `/api/analyses/${id}/calls?limit=100${cursor}${filter}`;
  });
  await timed("call list (100/page, filters, search)", pages, up.cookie);
  await timed(
    "call detail",
    Array.from({ length: 300 }, () => `/api/analyses/${id}/calls/${rnd(callCount)}`),
    up.cookie,
  );
  await timed(
    "message detail",
    Array.from({ length: 100 }, () => `/api/analyses/${id}/messages/${rnd(messageCount)}`),
    up.cookie,
  );
  await timed(
    "window (500 rows)",
    Array.from({ length: 100 }, () => `/api/analyses/${id}/window?start=${rnd(messageCount)}&count=500`),
    up.cookie,
  );
  const plan = await app.prisma.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(
    `EXPLAIN ANALYZE SELECT ordinal FROM analysis_call WHERE analysis_id = '${id}' AND search LIKE '%sip:1%' ORDER BY ordinal LIMIT 101`,
  );
  console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
} finally {
  await app.close();
  if (!given) await dropDatabase(databaseUrl);
}
