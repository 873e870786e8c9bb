import { analysisDetailSchema, healthSchema, jobAcceptedSchema } from "@siplens/contracts";
import { createPrismaClient, withDatabase } from "@siplens/db";
import { createTestDatabase, type TestDatabase } from "@siplens/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Browser, buildApp, uniqueEmail, waitForJob } from "./helper.js";
import { syntheticTrace } from "./synthetic-trace.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// A database of its own: cutting its sessions must not touch what the other test files use.
let own: TestDatabase;
let databaseUrl = inject("databaseUrl");

/** SQL as the server's administrator, from outside the service (its maintenance database). */
async function admin<T>(sql: string, database = "postgres"): Promise<T[]> {
  const client = createPrismaClient(withDatabase(databaseUrl, database), { maxConnections: 1 });
  try {
    return await client.$queryRawUnsafe<T[]>(sql);
  } finally {
    await client.$disconnect();
  }
}
let databaseName = "";

/** Ends every session of the service's own database (API pool and worker threads alike). */
async function cutConnections(): Promise<number> {
  const rows = await admin<{ cut: bigint }>(`SELECT count(pg_terminate_backend(pid)) AS cut FROM pg_stat_activity WHERE datname = '${databaseName}'`);
  return Number(rows[0]?.cut ?? 0);
}

/** Cuts the connections `times` times, `everyMs` apart, while `work` runs; returns how many sessions were ended. */
async function cutWhile(work: Promise<unknown>, times: number, everyMs: number): Promise<number> {
  let settled = false;
  void work.finally(() => (settled = true)).catch(() => undefined);
  let cut = 0;
  for (let i = 0; i < times && !settled; i++) {
    await sleep(everyMs);
    if (!settled) cut += await cutConnections();
  }
  return cut;
}

/** Every stored analysis of `titles` is whole: one row each, and as many call rows as its overview counts. */
async function storedWhole(titles: string[]) {
  const list = titles.map((t) => `'${t.replaceAll("'", "''")}'`).join(",");
  const rows = await admin<{ title: string; calls: number; stored: bigint }>(
    `SELECT a.title, a.call_count AS calls, (SELECT count(*) FROM analysis_call c WHERE c.analysis_id = a.id) AS stored FROM analysis a WHERE a.title IN (${list})`,
    databaseName,
  );
  return rows.map((r) => ({ title: r.title, whole: Number(r.stored) === Number(r.calls) }));
}

describe("database outages", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    own = await createTestDatabase("api_outage", { databaseUrl });
    databaseUrl = own.url;
    databaseName = new URL(databaseUrl).pathname.slice(1);
    app = await buildApp({ DATABASE_URL: databaseUrl, UPLOAD_WAIT_MS: "500", JOB_LEASE_MS: "3000" });
  });
  afterAll(async () => {
    await admin(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await app?.close();
    await own?.drop();
  });

  it("answers every paste whose connections were cut mid-way with its analysis, stored whole and once", async () => {
    const browser = new Browser(app);
    await browser.register(uniqueEmail("outage")); // one owner for the parallel pastes
    const trace = syntheticTrace(300);
    const titles = Array.from({ length: 6 }, (_, i) => `outage paste ${i} ${Date.now()}`);
    const answers = Promise.all(titles.map((title) => browser.post("/api/analyses", { text: trace, title })));
    const cut = await cutWhile(answers, 3, 400);
    const results = await answers;

    expect(cut).toBeGreaterThan(0);
    expect(results.map((r) => r.statusCode)).toEqual(titles.map(() => 201));
    for (const res of results) {
      const made = analysisDetailSchema.parse(res.json());
      expect((await browser.get(`/api/analyses/${made.id}`)).statusCode).toBe(200);
    }
    const stored = await storedWhole(titles);
    expect(stored.map((s) => s.title).sort()).toEqual([...titles].sort());
    expect(stored.every((s) => s.whole)).toBe(true);
  }, 180_000);

  it("finishes an upload whose connections were cut while it streamed in and while it was analysed", async () => {
    const browser = new Browser(app);
    const title = `outage upload ${Date.now()}`;
    const file = Buffer.from(syntheticTrace(3000), "utf8");
    const answer = browser.upload(`/api/analyses/upload?title=${encodeURIComponent(title)}`, file, "big.txt");
    const finished = answer.then(async (res) => {
      if (res.statusCode !== 202) return res;
      return (await waitForJob(browser, jobAcceptedSchema.parse(res.json()).job.id, 120_000)).res;
    });
    const cut = await cutWhile(finished, 4, 700);
    const res = await finished;

    expect(cut).toBeGreaterThan(0);
    expect([200, 201]).toContain(res.statusCode);
    const analysisId = res.statusCode === 201 ? analysisDetailSchema.parse(res.json()).id : res.json<{ analysisId: string }>().analysisId;
    const made = analysisDetailSchema.parse((await browser.get(`/api/analyses/${analysisId}`)).json());
    expect(made.overview.callCount).toBe(3000);
    expect(await storedWhole([title])).toEqual([{ title, whole: true }]);
  }, 240_000);

  it("says in /api/health what is wrong while its database refuses connections, answers 503, and recovers without a restart", async () => {
    const browser = new Browser(app);
    await admin(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS false`);
    await cutConnections();

    const health = await browser.get("/api/health");
    expect(health.statusCode).toBe(503);
    expect(healthSchema.parse(health.json())).toMatchObject({ status: "degraded", database: "unavailable", problem: "the database cannot be reached" });
    const refused = await browser.post("/api/analyses", { text: syntheticTrace(2), title: "while down" });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ error: "database-unavailable" });

    await admin(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS true`);
    expect((await browser.get("/api/health")).statusCode).toBe(200);
    expect((await browser.post("/api/analyses", { text: syntheticTrace(2), title: "after the outage" })).statusCode).toBe(201);
  });
});
