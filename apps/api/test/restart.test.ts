import { gzipSync } from "node:zlib";
import { analysisDetailSchema } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { randomId, sha256Hex } from "../src/lib/ids.js";
import { Browser, buildApp, fixture, uniqueEmail, waitForJob } from "./helper.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");

describe("durability", () => {
  const open: FastifyInstance[] = [];
  const start = async (overrides: Record<string, string> = {}) => {
    const app = await buildApp(overrides);
    open.push(app);
    return app;
  };
  afterAll(async () => {
    for (const app of open) await app.close().catch(() => undefined);
  });

  it("keeps accounts, sessions, analyses and shares across an API restart", async () => {
    const first = await start();
    const browser = new Browser(first);
    await browser.register(uniqueEmail("restart"));
    const made = analysisDetailSchema.parse((await browser.post("/api/analyses", { text, title: "survives" })).json());
    const share = (await browser.post(`/api/analyses/${made.id}/shares`, {})).json<{ token: string }>();
    await first.close();

    const second = await start();
    const sameBrowser = new Browser(second);
    sameBrowser.cookies = browser.cookies; // same cookies, new process
    expect((await sameBrowser.get("/api/me")).json<{ user: unknown }>().user).not.toBeNull();
    const again = analysisDetailSchema.parse((await sameBrowser.get(`/api/analyses/${made.id}`)).json());
    expect(again.overview).toEqual(made.overview);
    expect(again.title).toBe("survives");
    expect((await new Browser(second).get(`/api/shared/${share.token}`)).statusCode).toBe(200);
  });

  it("finishes an accepted job whose instance died mid-analysis", async () => {
    const app = await start({ JOB_LEASE_MS: "1000" });
    // What a crashed instance leaves behind: stored input and a running job whose lease ran out.
    const analysisId = randomId();
    const anonKey = randomId();
    const bytes = Buffer.from(text);
    await app.prisma.analysisInputChunk.create({ data: { analysisId, seq: 0, data: new Uint8Array(gzipSync(bytes)) } });
    const job = await app.prisma.analysisJob.create({
      data: {
        id: randomId(),
        analysisId,
        status: "running",
        anonKeyHash: sha256Hex(anonKey),
        title: "orphaned by a crash",
        sha256: sha256Hex(bytes),
        totalBytes: bytes.length,
        attempts: 1,
        lockedBy: "crashed-instance",
        lockedUntil: new Date(Date.now() - 1000),
      },
    });
    const browser = new Browser(app);
    browser.cookies.set("siplens_anon", anonKey);
    const settled = await waitForJob(browser, job.id);
    expect(settled.job).toMatchObject({ status: "done", analysisId });
    const detail = analysisDetailSchema.parse((await browser.get(`/api/analyses/${analysisId}`)).json());
    expect(detail).toMatchObject({ title: "orphaned by a crash", sha256: sha256Hex(bytes) });
    expect(await app.prisma.analysis.count({ where: { id: analysisId } })).toBe(1);
    const row = await app.prisma.analysisJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.attempts).toBe(2);
  });

  it("keeps an accepted job and its input when storing the finished analysis fails, and stores it on the next run", async () => {
    const app = await start({ JOB_LEASE_MS: "1000" });
    // The database refuses this one analysis (as a dropped connection or a deadlock would) until the test lifts it.
    await app.prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION siplens_test_refuse_store() RETURNS trigger AS $$
      BEGIN IF NEW.title = 'storage refused' THEN RAISE EXCEPTION 'simulated storage failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await app.prisma.$executeRawUnsafe(
      `CREATE TRIGGER siplens_test_refuse_store BEFORE INSERT ON analysis FOR EACH ROW EXECUTE FUNCTION siplens_test_refuse_store()`,
    );
    try {
      const analysisId = randomId();
      const anonKey = randomId();
      const bytes = Buffer.from(text);
      await app.prisma.analysisInputChunk.create({ data: { analysisId, seq: 0, data: new Uint8Array(gzipSync(bytes)) } });
      const job = await app.prisma.analysisJob.create({
        data: {
          id: randomId(),
          analysisId,
          status: "queued",
          anonKeyHash: sha256Hex(anonKey),
          title: "storage refused",
          sha256: sha256Hex(bytes),
          totalBytes: bytes.length,
        },
      });
      // A second claim proves the first run ended without storing (and without failing the job).
      for (let i = 0; i < 300 && (await app.prisma.analysisJob.findUniqueOrThrow({ where: { id: job.id } })).attempts < 2; i++) await sleep(100);
      const afterFailure = await app.prisma.analysisJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(afterFailure.attempts).toBe(2);
      expect(afterFailure.status).not.toBe("failed");
      expect(afterFailure.status).not.toBe("done");
      expect(await app.prisma.analysisInputChunk.count({ where: { analysisId } })).toBe(1);

      await app.prisma.analysisJob.update({ where: { id: job.id }, data: { title: "stored after a retry" } });
      const browser = new Browser(app);
      browser.cookies.set("siplens_anon", anonKey);
      const settled = await waitForJob(browser, job.id);
      expect(settled.job).toMatchObject({ status: "done", analysisId });
      const detail = analysisDetailSchema.parse((await browser.get(`/api/analyses/${analysisId}`)).json());
      expect(detail).toMatchObject({ title: "stored after a retry", sha256: sha256Hex(bytes) });
    } finally {
      await app.prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS siplens_test_refuse_store ON analysis`);
      await app.prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS siplens_test_refuse_store()`);
    }
  });

  it("never leaves a half-saved analysis: the commit is one transaction", async () => {
    const app = await start();
    const analysisId = randomId();
    const job = await app.jobs.create(app.prisma, {
      id: randomId(),
      analysisId,
      ownerId: null,
      anonKeyHash: "x",
      title: "t",
      sha256: "s",
      totalBytes: 1,
      runningBy: { workerId: "me", leaseMs: 60_000, bytesRead: 0 },
    });
    const output = { format: "sip" as const, formatName: "SIP", inputBytes: 1, messageCount: 1, callCount: 1, findingCount: 1 };
    const overviewGz = new Uint8Array(gzipSync(JSON.stringify({})));
    await expect(
      app.jobs.complete(job.id, "me", async (tx, row) => {
        await app.analyses.insert(tx, { id: row.analysisId, ownerId: null, anonKeyHash: "x", title: "t", sha256: "s", output, overviewGz });
        await tx.analysisFinding.create({
          data: { analysisId: row.analysisId, findingId: "f1", ordinal: 0, code: "caller-hangup", severity: "info", title: "t", callIds: [] },
        });
        throw new Error("crash between the analysis and the job update");
      }),
    ).rejects.toThrow(/crash/);
    expect(await app.prisma.analysis.count({ where: { id: analysisId } })).toBe(0);
    expect(await app.prisma.analysisFinding.count({ where: { analysisId } })).toBe(0);
    expect((await app.prisma.analysisJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("running");
    // Another instance that took the job over wins; a stale runner commits nothing.
    expect(await app.jobs.complete(job.id, "someone-else", async () => undefined)).toBeNull();
  });

  it("hands running jobs back to the queue on shutdown, and another instance finishes them", async () => {
    const a = await start({ PASTE_INLINE_MAX_BYTES: "1024" });
    const browser = new Browser(a);
    const accepted = await browser.post("/api/analyses", { text, title: "handed over" });
    expect(accepted.statusCode).toBe(202);
    const jobId = accepted.json<{ job: { id: string } }>().job.id;
    await a.close();
    const stopped = await (await start({ JOB_POLL_MS: "100" })).prisma.analysisJob.findUniqueOrThrow({ where: { id: jobId } });
    // Handed back (queued, attempt not counted) unless it finished before the shutdown; B may already be on it.
    expect(["queued", "running", "done"]).toContain(stopped.status);
    if (stopped.status === "queued") expect(stopped.attempts).toBe(0);
    const b = open.at(-1)!;
    const other = new Browser(b);
    other.cookies = browser.cookies;
    const settled = await waitForJob(other, jobId);
    expect(settled.job.status).toBe("done");
    expect((await other.get(`/api/analyses/${settled.job.analysisId}`)).statusCode).toBe(200);
  });

  it("several instances share one queue: every job runs exactly once", async () => {
    const a = await start({ JOB_POLL_MS: "100", ANALYSIS_WORKERS: "1" });
    const b = await start({ JOB_POLL_MS: "100", ANALYSIS_WORKERS: "1" });
    const anonKey = randomId();
    const bytes = Buffer.from(text);
    const jobIds: string[] = [];
    await a.prisma.$transaction(async (tx) => {
      for (let i = 0; i < 4; i++) {
        const analysisId = randomId();
        await tx.analysisInputChunk.create({ data: { analysisId, seq: 0, data: new Uint8Array(gzipSync(bytes)) } });
        const job = await a.jobs.create(tx, {
          id: randomId(),
          analysisId,
          ownerId: null,
          anonKeyHash: sha256Hex(anonKey),
          title: `shared ${i}`,
          sha256: sha256Hex(bytes),
          totalBytes: bytes.length,
        });
        jobIds.push(job.id);
      }
    });
    a.jobRunner.kick();
    b.jobRunner.kick();
    const browser = new Browser(b);
    browser.cookies.set("siplens_anon", anonKey);
    for (const id of jobIds) expect((await waitForJob(browser, id)).job.status).toBe("done");
    const rows = await a.prisma.analysisJob.findMany({ where: { id: { in: jobIds } } });
    expect(rows.map((r) => r.attempts)).toEqual([1, 1, 1, 1]);
    expect(await a.prisma.analysis.count({ where: { id: { in: rows.map((r) => r.analysisId) } } })).toBe(4);
  });

  it("purges stored input nobody can use any more (aborted uploads)", async () => {
    const app = await start();
    const orphan = randomId();
    await app.prisma.analysisInputChunk.create({
      data: { analysisId: orphan, seq: 0, data: new Uint8Array([1, 2, 3]), createdAt: new Date(Date.now() - 2 * 86_400_000) },
    });
    await app.purgeExpired();
    expect(await app.prisma.analysisInputChunk.count({ where: { analysisId: orphan } })).toBe(0);
  });
});
