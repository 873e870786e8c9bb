/**
 * Memory of parallel share opens: `pnpm --filter @siplens/api exec tsx --conditions=source bench/open-memory.ts`.
 * Runs the built server as its own process on a throw-away database, stores a synthetic trace of
 * OPEN_BENCH_MESSAGES (100,000) messages, then opens one share of it from OPEN_BENCH_CLIENTS (8)
 * anonymous visitors at once, as the web app does (the share, its first calls, findings and ladder
 * rows), and prints the server's resident memory before and at its peak, and how each open was answered.
 * Scenarios: a plain share, a redacted one with shifted times, and a legacy analysis (re-analysed on first open).
 */
import { readFileSync } from "node:fs";
import { createPrismaClient } from "@siplens/db";
import { createTestDatabase, DEFAULT_LOCAL_URL } from "@siplens/db/testing";
import { startServer } from "../test/server-process.js";
import { syntheticTrace } from "../test/synthetic-trace.js";

const messages = Number(process.env.OPEN_BENCH_MESSAGES ?? 100_000);
const clients = Number(process.env.OPEN_BENCH_CLIENTS ?? 8);
// syntheticTrace averages 17 messages per 3 calls.
const calls = Math.ceil((messages * 3) / 17);

const database = await createTestDatabase("bench_open", { databaseUrl: process.env.DATABASE_URL ?? DEFAULT_LOCAL_URL });
const server = await startServer(database.url, { LOG_LEVEL: "warn", RATE_LIMIT_MAX: "1000000", RATE_LIMIT_ANALYSES_MAX: "1000000", UPLOAD_WAIT_MS: "600000" });
const base = `http://127.0.0.1:${server.port}`;
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

try {
  const form = new FormData();
  form.append("file", new Blob([syntheticTrace(calls)]), "bench-open.sngrep.txt");
  const uploaded = await fetch(`${base}/api/analyses/upload`, { method: "POST", body: form });
  const cookie = uploaded.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const analysis = await json<{ id: string; messageCount: number }>(uploaded);
  const share = async (body: object) =>
    (
      await json<{ token: string }>(
        await fetch(`${base}/api/analyses/${analysis.id}/shares`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie },
          body: JSON.stringify(body),
        }),
      )
    ).token;
  const plain = await share({});
  const redacted = await share({ redact: true, shiftTimes: true });
  console.log(`siplens open bench: ${analysis.messageCount} messages, ${clients} visitors at once, built server pid ${server.child.pid}`);

  /** One visitor's first screen of a share; the statuses of its requests. */
  const open = (token: string) =>
    Promise.all(
      [
        `/api/shared/${token}`,
        `/api/shared/${token}/calls?limit=100`,
        `/api/shared/${token}/findings?limit=100`,
        `/api/shared/${token}/window?start=0&count=500`,
      ].map(async (path) => {
        const res = await fetch(`${base}${path}`);
        await res.arrayBuffer();
        return res.status;
      }),
    );

  async function scenario(title: string, token: string) {
    await new Promise((r) => setTimeout(r, 2000)); // let the previous scenario's garbage go
    const before = rssMb();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 20);
    const started = Date.now();
    const statuses = (await Promise.all(Array.from({ length: clients }, () => open(token)))).flat();
    clearInterval(sampler);
    peak = Math.max(peak, rssMb());
    const counts = Object.entries(statuses.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {})).map(([s, n]) => `${n}×${s}`);
    console.log(
      `${title.padEnd(34)} RSS ${before.toFixed(0).padStart(5)} MB → peak ${peak.toFixed(0).padStart(5)} MB (+${(peak - before).toFixed(0)})   ${Date.now() - started} ms   answers ${counts.join(" ")}`,
    );
  }

  await scenario("plain share", plain);
  await scenario("redacted share, shifted times", redacted);
  // A legacy analysis (one stored document, before parts): its first open re-analyses the stored input.
  const prisma = createPrismaClient(database.url, { maxConnections: 1 });
  await prisma.analysis.update({ where: { id: analysis.id }, data: { partsVersion: 0 } });
  await prisma.$disconnect();
  await scenario("legacy analysis, redacted share", redacted);
} finally {
  server.child.kill("SIGTERM");
  await server.exited;
  await database.drop();
}
