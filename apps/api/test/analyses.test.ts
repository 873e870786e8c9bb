import { analysisDetailSchema, analysisListSchema, analysisSummarySchema, jobAcceptedSchema, signInResultSchema } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { sha256Hex } from "../src/lib/ids.js";
import { Browser, buildApp, fixture, uniqueEmail, waitForJob } from "./helper.js";

const sngrep = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");

describe("analyses: paste, upload, keep, list, edit, delete", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // Pastes over 8 KiB go through the job queue here, so both paths are exercised on small fixtures.
    app = await buildApp({ PASTE_INLINE_MAX_BYTES: "8192" });
  });
  afterAll(() => app.close());

  it("analyses a pasted sngrep trace without an account and answers 201 with the analysis", async () => {
    const browser = new Browser(app);
    const res = await browser.post("/api/analyses", { text: sngrep, title: "S1a paste" });
    expect(res.statusCode).toBe(201);
    const detail = analysisDetailSchema.parse(res.json());
    expect(detail).toMatchObject({ title: "S1a paste", format: "sngrep", owned: true, saved: false, note: "" });
    expect(detail.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(detail.sha256).toBe(sha256Hex(Buffer.from(sngrep)));
    expect(detail.inputBytes).toBe(Buffer.byteLength(sngrep));
    expect(detail.overview.messageCount).toBeGreaterThan(0);
    expect(detail.messageCount).toBe(detail.overview.messageCount);
    expect(detail.findingCount).toBe(detail.overview.findingCount);
    // Every finding is a row of the findings table (queryable by code and severity), in order, the Finding whole.
    const rows = await app.prisma.analysisFinding.findMany({ where: { analysisId: detail.id }, orderBy: { ordinal: "asc" } });
    expect(rows.map((r) => r.findingId)).toEqual(rows.map((_, i) => `f${i + 1}`));
    expect(rows.every((r) => r.dataGz !== null)).toBe(true);
    expect(rows).toHaveLength(detail.findingCount);
    // The result is stored in parts, not as one blob.
    expect(await app.prisma.analysisCall.count({ where: { analysisId: detail.id } })).toBe(detail.callCount);
    expect(await app.prisma.analysisMessageBlock.count({ where: { analysisId: detail.id } })).toBe(1);
    expect((await app.prisma.analysis.findUniqueOrThrow({ where: { id: detail.id } })).resultGz).toBeNull();
    // Anonymous analyses live 7 days.
    const days = (Date.parse(detail.expiresAt!) - Date.parse(detail.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(7, 5);
    expect(browser.cookies.has("siplens_anon")).toBe(true);

    const again = await browser.get(`/api/analyses/${detail.id}`);
    expect(again.statusCode).toBe(200);
    expect(analysisDetailSchema.parse(again.json()).overview).toEqual(detail.overview);
    // Parts are repetitive JSON: a client that accepts gzip gets them compressed.
    const plainCall = await browser.get(`/api/analyses/${detail.id}/calls/0`);
    const zipped = await browser.request("GET", `/api/analyses/${detail.id}/calls/0`, { headers: { "accept-encoding": "gzip" } });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    const unzipped = JSON.parse(gunzipSync(zipped.rawPayload).toString("utf8"));
    expect(unzipped).toEqual(plainCall.json());
    expect(zipped.rawPayload.length).toBeLessThan(plainCall.rawPayload.length / 3);
    // Another browser does not learn that it exists.
    const stranger = await new Browser(app).get(`/api/analyses/${detail.id}`);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toEqual({ error: "not-found", message: "no such analysis" });
  });

  it("answers pastes while every upload worker is busy (separate pools)", async () => {
    const busy = await buildApp({ ANALYSIS_WORKERS: "1" });
    const held = await busy.workers.bulk.openStream(1 << 20); // an upload in progress holds the only bulk worker
    try {
      await held.push(fixture("S1a_caller_hangup_direct_udp.pcap"));
      expect(busy.workers.bulk.stats).toMatchObject({ busy: 1, idle: 0 });
      // The held worker is never released while we ask: a paste queued behind it would time out.
      const res = await new Browser(busy).post("/api/analyses", { text: sngrep });
      expect(res.statusCode).toBe(201);
      expect((await busy.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    } finally {
      held.abort();
      await busy.close();
    }
  });

  it("stores the raw input compressed, byte for byte", async () => {
    const browser = new Browser(app);
    const res = await browser.post("/api/analyses", { text: sngrep });
    const { id } = res.json<{ id: string }>();
    const { gunzipSync } = await import("node:zlib");
    const pieces = await app.prisma.analysisInputChunk.findMany({ where: { analysisId: id }, orderBy: { seq: "asc" } });
    const stored = gunzipSync(Buffer.concat(pieces.map((p) => Buffer.from(p.data))));
    expect(stored.toString("utf8")).toBe(sngrep);
    expect(pieces.reduce((n, p) => n + p.data.length, 0)).toBeLessThan(Buffer.byteLength(sngrep));
  });

  it("uploads a pcap and a pcapng (multipart, streamed) and answers with the analysis", async () => {
    const browser = new Browser(app);
    const pcap = fixture("S1a_caller_hangup_direct_udp.pcap");
    const res = await browser.upload("/api/analyses/upload", pcap, "s1a.pcap");
    expect(res.statusCode).toBe(201);
    const detail = analysisDetailSchema.parse(res.json());
    expect(detail).toMatchObject({ title: "s1a.pcap", format: "pcap", inputBytes: pcap.length, sha256: sha256Hex(pcap) });
    expect(detail.overview.messageCount).toBeGreaterThan(0);

    const pcapng = fixture("S3_fork_caller_cancels_all_branches_487.pcapng");
    const res2 = await browser.upload("/api/analyses/upload?title=Fork%20test", pcapng, "s3.pcapng");
    expect(res2.statusCode).toBe(201);
    const d2 = analysisDetailSchema.parse(res2.json());
    expect(d2).toMatchObject({ title: "Fork test", format: "pcapng" });
    expect(d2.overview.callCount).toBeGreaterThan(0);
    // An upload's raw texts were compressed block by block while it was analysed: they read back whole.
    for (const index of [0, d2.overview.messageCount - 1]) {
      const m = await browser.request("GET", `/api/analyses/${d2.id}/messages/${index}`);
      expect(m.statusCode).toBe(200);
      const message = m.json<{ raw: string; callId: string; label: string }>();
      expect(message.raw).toContain(`Call-ID: ${message.callId}`);
      expect(message.raw.split("\r\n")[0]).toContain(message.label.split(" ")[0]);
    }
    // The upload's job is recorded as done and points at the analysis.
    const job = await app.prisma.analysisJob.findFirstOrThrow({ where: { analysisId: d2.id } });
    expect(job).toMatchObject({ status: "done", totalBytes: pcapng.length });
  });

  it("answers an upload with 202 and a job when the analysis is not ready at once", async () => {
    const quick = await buildApp({ UPLOAD_WAIT_MS: "0" });
    try {
      const browser = new Browser(quick);
      const pcapng = fixture("S3_fork_caller_cancels_all_branches_487.pcapng");
      const res = await browser.upload("/api/analyses/upload", pcapng, "later.pcapng");
      expect(res.statusCode).toBe(202);
      const { job } = jobAcceptedSchema.parse(res.json());
      expect(job).toMatchObject({ status: "running", totalBytes: pcapng.length });
      const settled = await waitForJob(browser, job.id);
      expect(settled.job).toMatchObject({ status: "done", bytesRead: pcapng.length });
      const detail = analysisDetailSchema.parse((await browser.get(`/api/analyses/${settled.job.analysisId}`)).json());
      expect(detail).toMatchObject({ title: "later.pcapng", format: "pcapng", sha256: sha256Hex(pcapng) });
    } finally {
      await quick.close();
    }
  });

  it("answers 202 with a job for a large paste; the job reports progress and ends with the analysis", async () => {
    const browser = new Browser(app);
    const big = `${sngrep}\n`.repeat(4); // > 8 KiB here
    const res = await browser.post("/api/analyses", { text: big, title: "big paste" });
    expect(res.statusCode).toBe(202);
    const { job } = jobAcceptedSchema.parse(res.json());
    expect(job.totalBytes).toBe(Buffer.byteLength(big));
    expect(["queued", "running", "done"]).toContain(job.status);
    const settled = await waitForJob(browser, job.id);
    expect(settled.job).toMatchObject({ status: "done", bytesRead: Buffer.byteLength(big) });
    const detail = analysisDetailSchema.parse((await browser.get(`/api/analyses/${settled.job.analysisId}`)).json());
    expect(detail.title).toBe("big paste");
    expect(detail.overview.messageCount).toBeGreaterThan(0);
    // Someone else cannot watch the job.
    expect((await new Browser(app).get(`/api/jobs/${job.id}`)).statusCode).toBe(404);
  });

  it("moves anonymous analyses into the account on sign-in; saved ones never expire", async () => {
    const browser = new Browser(app);
    const made = await browser.post("/api/analyses", { text: sngrep, title: "before sign-in" });
    const { id } = made.json<{ id: string }>();
    expect((await browser.get("/api/analyses")).statusCode).toBe(401);

    await browser.register(uniqueEmail("claim"));
    const me = await browser.get("/api/me");
    expect(me.json<{ user: unknown }>().user).toMatchObject({ name: "Test User" });
    const detail = analysisDetailSchema.parse((await browser.get(`/api/analyses/${id}`)).json());
    expect(detail).toMatchObject({ saved: true, expiresAt: null, owned: true });
    const list = analysisListSchema.parse((await browser.get("/api/analyses")).json());
    expect(list.items.map((i) => i.id)).toEqual([id]);

    // New analyses of a signed-in user are saved at once.
    const saved = analysisDetailSchema.parse((await browser.post("/api/analyses", { text: sngrep })).json());
    expect(saved).toMatchObject({ saved: true, expiresAt: null });
  });

  it("moves only analyses that hold messages on sign-in and answers how many moved", async () => {
    const browser = new Browser(app);
    const real = analysisDetailSchema.parse((await browser.post("/api/analyses", { text: sngrep, title: "real" })).json());
    // Over PASTE_INLINE_MAX_BYTES: a job, which fails (no SIP in it).
    const notSip = "just some log text, no SIP here\n".repeat(400);
    const accepted = jobAcceptedSchema.parse((await browser.post("/api/analyses", { text: notSip, title: "not sip" })).json());
    expect((await waitForJob(browser, accepted.job.id)).job.status).toBe("failed");
    // An empty analysis of this browser (no messages), as older versions stored for captures without SIP.
    const stored = await app.prisma.analysis.findUniqueOrThrow({ where: { id: real.id } });
    await app.prisma.analysis.create({
      data: { ...stored, id: `${real.id.slice(0, 16)}empty1`, title: "empty", messageCount: 0, callCount: 0, findingCount: 0, overviewGz: stored.overviewGz },
    });

    const email = uniqueEmail("claim-count");
    await browser.signUp(email);
    const signIn = await browser.signIn(email);
    expect(signIn.statusCode).toBe(200);
    expect(signInResultSchema.parse(signIn.json())).toEqual({ claimedAnalyses: 1 });
    const list = analysisListSchema.parse((await browser.get("/api/analyses")).json());
    expect(list.items.map((i) => i.title)).toEqual(["real"]);
    const job = await app.prisma.analysisJob.findUniqueOrThrow({ where: { id: accepted.job.id } });
    expect(job.ownerId).toBeNull();
    const empty = await app.prisma.analysis.findUniqueOrThrow({ where: { id: `${real.id.slice(0, 16)}empty1` } });
    expect(empty.ownerId).toBeNull();

    // Signing in again moves nothing more.
    expect(signInResultSchema.parse((await browser.signIn(email)).json())).toEqual({ claimedAnalyses: 0 });
  });

  it("lists newest first with cursor pagination and filters by title and finding code", async () => {
    const browser = new Browser(app);
    await browser.register(uniqueEmail("list"));
    const ids: string[] = [];
    for (const title of ["alpha one", "beta two", "alpha three", "gamma four", "Alpha five"]) {
      const res = await browser.post("/api/analyses", { text: sngrep, title });
      ids.push(res.json<{ id: string }>().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await browser.get(`/api/analyses?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode).toBe(200);
      const page = analysisListSchema.parse(res.json());
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const alpha = analysisListSchema.parse((await browser.get("/api/analyses?q=ALPHA")).json());
    expect(alpha.items.map((i) => i.title)).toEqual(["Alpha five", "alpha three", "alpha one"]);
    // The finding filter reads the findings table: give two analyses a finding the fixture does not have.
    const before = analysisListSchema.parse((await browser.get("/api/analyses?finding=cancel-200-race")).json());
    expect(before.items).toHaveLength(0);
    for (const id of [ids[1]!, ids[3]!]) {
      await app.prisma.analysisFinding.create({
        data: { analysisId: id, findingId: "f-test", code: "cancel-200-race", severity: "warning", title: "race", callIds: [] },
      });
    }
    const withRace = analysisListSchema.parse((await browser.get("/api/analyses?finding=cancel-200-race")).json());
    expect(withRace.items.map((i) => i.id)).toEqual([ids[3], ids[1]]);
    expect(withRace.items[0]!.findingCodes).toContain("cancel-200-race");
    const both = analysisListSchema.parse((await browser.get("/api/analyses?finding=cancel-200-race&q=gamma")).json());
    expect(both.items.map((i) => i.title)).toEqual(["gamma four"]);
    expect((await browser.get("/api/analyses?cursor=garbage")).statusCode).toBe(400);
    expect((await browser.get("/api/analyses?finding=not-a-code")).statusCode).toBe(400);
    expect((await browser.get("/api/analyses?limit=1000")).statusCode).toBe(400);
  });

  it("renames, annotates and deletes", async () => {
    const browser = new Browser(app);
    await browser.register(uniqueEmail("edit"));
    const { id } = (await browser.post("/api/analyses", { text: sngrep })).json<{ id: string }>();
    const renamed = await browser.patch(`/api/analyses/${id}`, { title: "Renamed", note: "customer ticket 42" });
    expect(renamed.statusCode).toBe(200);
    expect(analysisSummarySchema.parse(renamed.json())).toMatchObject({ title: "Renamed", note: "customer ticket 42" });
    expect((await browser.patch(`/api/analyses/${id}`, {})).statusCode).toBe(400);
    expect((await browser.patch(`/api/analyses/${id}`, { title: "" })).statusCode).toBe(400);

    expect((await browser.delete(`/api/analyses/${id}`)).statusCode).toBe(204);
    expect((await browser.get(`/api/analyses/${id}`)).statusCode).toBe(404);
    expect((await browser.delete(`/api/analyses/${id}`)).statusCode).toBe(404);
    expect(await app.prisma.analysisInputChunk.count({ where: { analysisId: id } })).toBe(0);
    expect(await app.prisma.analysisFinding.count({ where: { analysisId: id } })).toBe(0);
  });

  it("purges anonymous analyses after their expiry, keeps saved ones", async () => {
    const anon = new Browser(app);
    const { id: anonId } = (await anon.post("/api/analyses", { text: sngrep })).json<{ id: string }>();
    const user = new Browser(app);
    await user.register(uniqueEmail("purge"));
    const { id: savedId } = (await user.post("/api/analyses", { text: sngrep })).json<{ id: string }>();
    await app.prisma.analysis.update({ where: { id: anonId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await app.purgeExpired();
    expect(await app.prisma.analysis.findUnique({ where: { id: anonId } })).toBeNull();
    expect(await app.prisma.analysisInputChunk.count({ where: { analysisId: anonId } })).toBe(0);
    expect((await user.get(`/api/analyses/${savedId}`)).statusCode).toBe(200);
  });
});
