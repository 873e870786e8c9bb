/**
 * Load check: `pnpm --filter @siplens/api bench` (or `npm run bench` at the root).
 * Starts the API on a free port against a real PostgreSQL (DATABASE_URL, else a throw-away
 * database on 127.0.0.1:5432), then drives two typical requests with autocannon and prints
 * p50/p99 latency and requests per second: pasting a trace, and opening a share link.
 * BENCH_LOAD_FILE=<capture> measures the same while BENCH_LOAD_UPLOADS (4) uploads of that file run
 * at once, each from its own browser, and prints how many of those uploads failed.
 */
import { execFileSync } from "node:child_process";
import { openAsBlob, readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { createDatabase, DEFAULT_LOCAL_URL, dropDatabase, uniqueDatabaseName } from "@siplens/db/testing";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config/env.js";
import { present } from "@siplens/analysis/access";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const loadFile = process.env.BENCH_LOAD_FILE;
const loadUploads = Number(process.env.BENCH_LOAD_UPLOADS ?? 4);
const given = process.env.DATABASE_URL;
const databaseUrl = given ?? (await createDatabase(DEFAULT_LOCAL_URL, uniqueDatabaseName("siplens_bench_api")));
execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", fileURLToPath(new URL("../../../packages/db/src/cli/migrate.ts", import.meta.url))], {
  env: { ...process.env, DATABASE_URL: databaseUrl },
  stdio: ["ignore", "ignore", "inherit"],
});

const app = await createApp(
  loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret-01",
    RATE_LIMIT_MAX: "1000000",
    RATE_LIMIT_ANALYSES_MAX: "1000000",
  }),
  { logger: false },
);
await app.listen({ port: 0, host: "127.0.0.1" });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

try {
  const trace = readFileSync(new URL("../test/fixtures/S1a_caller_hangup_direct_udp.sngrep.txt", import.meta.url), "utf8");
  const pasteBody = JSON.stringify({ text: trace, title: "bench" });
  // Seed: one analysis and a share link to open.
  const made = await fetch(`${base}/api/analyses`, { method: "POST", headers: { "content-type": "application/json" }, body: pasteBody });
  if (made.status !== 201) throw new Error(`seeding failed: ${made.status} ${await made.text()}`);
  const cookie = made.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { id } = (await made.json()) as { id: string };
  const shared = await fetch(`${base}/api/analyses/${id}/shares`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: "{}" });
  const { token } = (await shared.json()) as { token: string };

  /** autocannon's own percentiles have no p95: it is read from every response's time. */
  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const run = (title: string, opts: autocannon.Options) => {
    const times: number[] = [];
    return new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ duration: seconds, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
      instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
    }).then((r) => {
      const bad = r.non2xx + r.errors + r.timeouts;
      const sorted = times.sort((a, b) => a - b);
      const at = (p: number) => String(Math.round(percentile(sorted, p))).padStart(5);
      console.log(
        `${title.padEnd(28)} p50 ${at(50)} ms   p95 ${at(95)} ms   p99 ${at(99)} ms   ${r.requests.average.toFixed(1).padStart(8)} req/s   (${r.requests.total} requests, ${bad} not 2xx)`,
      );
      return r;
    });
  };

  /** One big upload to its end: 201, or 202 and its job polled until done; false when it failed. */
  async function bigUpload(file: string): Promise<boolean> {
    const form = new FormData();
    form.append("file", await openAsBlob(file), basename(file));
    const res = await fetch(`${base}/api/analyses/upload`, { method: "POST", body: form });
    if (res.status === 201) return true;
    if (res.status !== 202) return false;
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const { job } = (await res.json()) as { job: { id: string } };
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const status = (await (await fetch(`${base}/api/jobs/${job.id}`, { headers: { cookie } })).json()) as { status: string };
      if (status.status === "done") return true;
      if (status.status === "failed") return false;
    }
  }
  const uploads = loadFile ? Array.from({ length: loadUploads }, () => bigUpload(loadFile).catch(() => false)) : [];

  console.log(`siplens API bench: ${seconds} s per scenario, ${base}${loadFile ? `, while ${loadUploads} uploads of ${basename(loadFile)} run` : ""}`);
  await run("paste a trace (POST 3 KB)", {
    url: `${base}/api/analyses`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: pasteBody,
    connections: 4,
  });
  await run("open a share link (GET)", { url: `${base}/api/shared/${token}`, connections: 16 });
  if (uploads.length) {
    const failed = (await Promise.all(uploads)).filter((ok) => !ok).length;
    console.log(`${loadUploads} concurrent uploads of ${basename(present(loadFile))}: ${failed} failed`);
  }
} finally {
  await app.close();
  if (!given) await dropDatabase(databaseUrl);
}
