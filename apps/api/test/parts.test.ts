import { gunzipSync, gzipSync } from "node:zlib";
import { analyzeText } from "@siplens/analysis";
import {
  analysisDetailSchema,
  callDetailSchema,
  callListPageSchema,
  findingListPageSchema,
  messageDetailSchema,
  sharedAnalysisSchema,
  shareCreatedSchema,
  traceWindowSchema,
  type AnalysisDetail,
} from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomId, sha256Hex } from "../src/lib/ids.js";
import { PARTS_VERSION } from "../src/repositories/analyses.js";
import { Browser, buildApp, uniqueEmail } from "./helper.js";
import { callee, callerIp, SYNTHETIC_START, syntheticTrace } from "./synthetic-trace.js";

const CALLS = 240;
const trace = syntheticTrace(CALLS);

describe("analysis parts: calls, messages, window, findings", () => {
  let app: FastifyInstance;
  let owner: Browser;
  let analysis: AnalysisDetail;
  const base = () => `/api/analyses/${analysis.id}`;

  beforeAll(async () => {
    app = await buildApp();
    owner = new Browser(app);
    const res = await owner.post("/api/analyses", { text: trace, title: "synthetic" });
    expect(res.statusCode).toBe(201);
    analysis = analysisDetailSchema.parse(res.json());
  });
  afterAll(() => app.close());

  async function allCalls(browser: Browser, prefix: string, query = "", limit = 50) {
    const ordinals: number[] = [];
    let cursor: string | null = null;
    let total = -1;
    for (let pages = 0; pages < 100; pages++) {
      const res = await browser.get(`${prefix}/calls?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode).toBe(200);
      const page = callListPageSchema.parse(res.json());
      total = page.total;
      ordinals.push(...page.items.map((c) => c.ordinal));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return { ordinals, total };
  }

  it("stores the paste in parts: overview, one row per call, two message blocks", async () => {
    expect(analysis.overview).toMatchObject({ callCount: CALLS, messageCount: 1360, outcomeTotals: { cancelled: 80, answered: 80, busy: 80 } });
    expect(await app.prisma.analysisCall.count({ where: { analysisId: analysis.id } })).toBe(CALLS);
    expect(await app.prisma.analysisMessageBlock.count({ where: { analysisId: analysis.id } })).toBe(2);
  });

  it("pages the calls with a keyset cursor: every call exactly once, in trace order", async () => {
    const { ordinals, total } = await allCalls(owner, base(), "", 50);
    expect(total).toBe(CALLS);
    expect(ordinals).toEqual(Array.from({ length: CALLS }, (_, i) => i));
    expect((await owner.get(`${base()}/calls?cursor=nope`)).statusCode).toBe(400);
  });

  it("filters by outcome, finding and time, and searches numbers, hosts and Call-IDs in SQL", async () => {
    const cancelled = await allCalls(owner, base(), "&outcome=cancelled", 30);
    expect(cancelled.total).toBe(80);
    expect(cancelled.ordinals).toEqual(Array.from({ length: 80 }, (_, k) => k * 3));
    const hangups = await allCalls(owner, base(), "&finding=caller-hangup", 500);
    expect(hangups.ordinals).toEqual(cancelled.ordinals);
    const busy = callListPageSchema.parse((await owner.get(`${base()}/calls?outcome=busy&limit=5`)).json());
    expect(busy.items.every((c) => c.outcome === "busy" && c.finalStatus === 486)).toBe(true);
    expect(busy.total).toBe(80);
    // Calls overlapping [start + 10, start + 19.5]: calls 10 … 19.
    const window = await allCalls(owner, base(), `&from=${SYNTHETIC_START + 10}&to=${SYNTHETIC_START + 19.5}`);
    expect(window.ordinals).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect((await allCalls(owner, base(), `&q=${encodeURIComponent(callee(42))}`)).ordinals).toEqual([42]);
    const byHost = await allCalls(owner, base(), `&q=${callerIp(2)}`, 500);
    expect(byHost.total).toBe(CALLS / 5);
    expect(byHost.ordinals.every((o) => o % 5 === 2)).toBe(true);
    expect((await allCalls(owner, base(), "&q=CALL-7%40")).ordinals).toEqual([7]);
    expect((await allCalls(owner, base(), "&q=%25")).total).toBe(0); // "%" is a character, not a wildcard
    expect((await allCalls(owner, base(), "&outcome=cancelled&q=10.20.0.1")).ordinals).toEqual(cancelled.ordinals.filter((o) => o % 5 === 0));
  });

  it("filters the calls by the cause that decided their 487s and by the pattern that covers them", async () => {
    const hangups = await allCalls(owner, base(), "&cause=caller-hangup", 500);
    expect(hangups.ordinals).toEqual(Array.from({ length: 80 }, (_, k) => k * 3));
    const row = callListPageSchema.parse((await owner.get(`${base()}/calls?cause=caller-hangup&limit=1`)).json()).items[0];
    expect(row?.causes487).toEqual(["caller-hangup"]);
    expect((await allCalls(owner, base(), "&cause=missing-ack")).total).toBe(0);
    expect((await owner.get(`${base()}/calls?cause=nonsense`)).statusCode).toBe(400);

    // Patterns come first: f1 is the timer pattern of caller 10.20.0.1 (calls i % 3 = 0 from i % 5 = 0).
    const [pattern] = findingListPageSchema.parse((await owner.get(`${base()}/findings?limit=1`)).json()).items;
    expect(pattern).toMatchObject({ id: "f1", code: "timer-pattern" });
    const covered = await allCalls(owner, base(), `&pattern=${pattern!.id}`, 5);
    expect(covered.total).toBe(pattern!.callIds.length);
    expect(covered.ordinals).toEqual(Array.from({ length: 16 }, (_, k) => k * 15));
    expect((await allCalls(owner, base(), `&pattern=${pattern!.id}&outcome=answered`)).total).toBe(0);
    expect((await allCalls(owner, base(), "&pattern=f99999")).total).toBe(0);
    expect((await owner.get(`${base()}/calls?pattern=1%27%20OR%201=1`)).statusCode).toBe(400);
  });

  it("serves one call whole", async () => {
    const res = await owner.get(`${base()}/calls/42`);
    expect(res.statusCode).toBe(200);
    const call = callDetailSchema.parse(res.json());
    expect(call).toMatchObject({ ordinal: 42, callId: `call-42@${callerIp(42)}`, outcome: "cancelled", messageCount: 7 });
    expect(call.messages.map((m) => m.callId)).toEqual(Array(7).fill(call.callId));
    expect(call.findings.map((f) => f.code)).toContain("caller-hangup");
    expect(call.transactions.length).toBeGreaterThan(0);
    expect((await owner.get(`${base()}/calls/${CALLS}`)).statusCode).toBe(404);
  });

  it("serves one message with its raw text and headers parsed on demand", async () => {
    const res = await owner.get(`${base()}/messages/1100`);
    expect(res.statusCode).toBe(200);
    const m = messageDetailSchema.parse(res.json());
    expect(m.index).toBe(1100);
    expect(m.raw).toContain(`Call-ID: ${m.callId}`);
    expect(m.headers).toContainEqual({ name: "Call-ID", value: m.callId });
    expect((await owner.get(`${base()}/messages/1360`)).statusCode).toBe(404);
  });

  it("serves windows of the whole-trace ladder across blocks, by index or by time", async () => {
    const w = traceWindowSchema.parse((await owner.get(`${base()}/window?start=990&count=20`)).json());
    expect(w).toMatchObject({ start: 990, messageCount: 1360 });
    expect(w.messages.map((m) => m.index)).toEqual(Array.from({ length: 20 }, (_, i) => 990 + i));
    expect(w.rows.map((r) => r.index)).toEqual(w.messages.map((m) => m.index));
    const call100 = callDetailSchema.parse((await owner.get(`${base()}/calls/100`)).json());
    const byTime = traceWindowSchema.parse((await owner.get(`${base()}/window?time=${SYNTHETIC_START + 100}&count=5`)).json());
    expect(byTime.start).toBe(call100.messages[0]!.index);
    expect(byTime.messages[0]!.callId).toBe(call100.callId);
    const end = traceWindowSchema.parse((await owner.get(`${base()}/window?start=1350&count=500`)).json());
    expect(end.messages).toHaveLength(10);
  });

  it("pages the findings in order, filtered by code", async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = findingListPageSchema.parse((await owner.get(`${base()}/findings?limit=20${cursor ? `&cursor=${cursor}` : ""}`)).json());
      expect(page.total).toBe(analysis.findingCount);
      ids.push(...page.items.map((f) => f.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(ids).toEqual(Array.from({ length: analysis.findingCount }, (_, i) => `f${i + 1}`));
    const hangups = findingListPageSchema.parse((await owner.get(`${base()}/findings?code=caller-hangup&limit=500`)).json());
    expect(hangups.total).toBe(80);
    expect(hangups.items.every((f) => f.code === "caller-hangup")).toBe(true);
  });

  it("serves a stored finding whose details do not fit its code's schema (an older analyzer's row): unfit fields read as absent, unknown ones stay", async () => {
    const row = await app.prisma.analysisFinding.findFirstOrThrow({ where: { analysisId: analysis.id, code: "caller-hangup" }, orderBy: { ordinal: "asc" } });
    const stored = JSON.parse(gunzipSync(row.dataGz ?? new Uint8Array()).toString("utf8")) as { id: string; details: Record<string, unknown> };
    const older = { ...stored, details: { ...stored.details, ringTimeMs: "3.97 s", hopsSeen: "caller → callee", ringPhase: { ms: 3970 } } };
    await app.prisma.analysisFinding.update({
      where: { analysisId_findingId: { analysisId: analysis.id, findingId: row.findingId } },
      data: { dataGz: new Uint8Array(gzipSync(JSON.stringify(older))) },
    });
    const res = await owner.get(`${base()}/findings?code=caller-hangup&limit=1`);
    expect(res.statusCode).toBe(200);
    const [served] = findingListPageSchema.parse(res.json()).items;
    expect(served?.id).toBe(stored.id);
    expect(served?.details.ringTimeMs).toBeUndefined();
    expect(served?.details.hopsSeen).toBeUndefined();
    expect(served?.details.cancelOriginHost).toBe(stored.details.cancelOriginHost);
    expect(served?.details.ringPhase).toEqual({ ms: 3970 });
  });

  it("is 404 on every part route for another browser and for no browser at all", async () => {
    const routes = ["", "/calls", "/calls/0", "/messages/0", "/window", "/findings"];
    const stranger = new Browser(app);
    await stranger.post("/api/analyses", { text: syntheticTrace(1) }); // has an anonymous key of its own
    const signedIn = new Browser(app);
    await signedIn.register(uniqueEmail("stranger"));
    for (const browser of [stranger, signedIn, new Browser(app)]) {
      for (const route of routes) {
        const res = await browser.get(`${base()}${route}`);
        expect(res.statusCode, `${route}`).toBe(404);
        expect(res.json()).toEqual({ error: "not-found", message: "no such analysis" });
      }
    }
  });

  describe("through a share link", () => {
    let other: AnalysisDetail;
    beforeAll(async () => {
      other = analysisDetailSchema.parse((await owner.post("/api/analyses", { text: syntheticTrace(3), title: "other" })).json());
    });
    const share = async (body: object = {}) => shareCreatedSchema.parse((await owner.post(`${base()}/shares`, body)).json());

    it("sees the parts of its analysis only, and none after revocation or expiry", async () => {
      const s = await share();
      const visitor = new Browser(app);
      const prefix = `/api/shared/${s.token}`;
      expect((await allCalls(visitor, prefix, "", 100)).ordinals).toHaveLength(CALLS);
      expect((await visitor.get(`${prefix}/calls/42`)).json()).toEqual((await owner.get(`${base()}/calls/42`)).json());
      expect((await visitor.get(`${prefix}/messages/5`)).json()).toEqual((await owner.get(`${base()}/messages/5`)).json());
      expect(traceWindowSchema.parse((await visitor.get(`${prefix}/window?count=3`)).json()).messages).toHaveLength(3);
      expect(findingListPageSchema.parse((await visitor.get(`${prefix}/findings`)).json()).total).toBe(analysis.findingCount);
      // Nothing of the owner's other analysis: the token decides, not an id in the path.
      expect(callListPageSchema.parse((await visitor.get(`${prefix}/calls`)).json()).total).not.toBe(other.callCount);
      expect((await visitor.get(`/api/analyses/${other.id}/calls`)).statusCode).toBe(404);
      // Part reads do not count as views.
      expect((await app.prisma.share.findUniqueOrThrow({ where: { id: s.id } })).views).toBe(0);

      const routes = ["", "/calls", "/calls/0", "/messages/0", "/window", "/findings"];
      expect((await owner.delete(`/api/shares/${s.id}`)).statusCode).toBe(204);
      for (const route of routes) expect((await visitor.get(`${prefix}${route}`)).statusCode, `revoked ${route}`).toBe(404);
      const expiring = await share({ expiresInDays: 1 });
      expect((await visitor.get(`/api/shared/${expiring.token}/calls/0`)).statusCode).toBe(200);
      await app.prisma.share.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      for (const route of routes) expect((await visitor.get(`/api/shared/${expiring.token}${route}`)).statusCode, `expired ${route}`).toBe(404);
    });

    it("redacted: no original address, number or name in any part, the same value the same pseudonym in every call and request", async () => {
      const s = await share({ redact: true });
      const visitor = new Browser(app);
      const prefix = `/api/shared/${s.token}`;
      const bodies: string[] = [];
      const get = async (url: string) => {
        const res = await visitor.get(`${prefix}${url}`);
        expect(res.statusCode, url).toBe(200);
        bodies.push(res.body);
        return res.json<unknown>();
      };
      const overview = sharedAnalysisSchema.parse(await get(""));
      const list = callListPageSchema.parse(await get("/calls?limit=500"));
      const c0 = callDetailSchema.parse(await get("/calls/0"));
      const c5 = callDetailSchema.parse(await get("/calls/5"));
      const c1 = callDetailSchema.parse(await get("/calls/1"));
      const m = messageDetailSchema.parse(await get("/messages/0"));
      await get("/messages/1100");
      await get("/window?start=990&count=50");
      await get("/findings?limit=500");
      for (const body of bodies) {
        expect(body).not.toMatch(/10\.20\.0\.\d|10\.30\.0\.1/);
        expect(body).not.toContain("+4930555");
        expect(body).not.toContain("Alice");
      }
      // Calls 0 and 5 come from the same caller (10.20.0.1); every call goes to 10.30.0.1.
      expect(c0.hosts[0]).toMatch(/^host-[a-z2-7]{8}/);
      expect(c5.hosts[0]).toBe(c0.hosts[0]);
      expect(c1.hosts[0]).not.toBe(c0.hosts[0]);
      expect(c1.hosts[1]).toBe(c0.hosts[1]);
      expect(list.items[5]!.hosts).toEqual(c5.hosts);
      expect(overview.overview.lanes.map((l) => l.id)).toEqual(expect.arrayContaining([c0.hosts[0], c0.hosts[1]]));
      expect(m.raw).toContain(`Call-ID: ${c0.callId}`);
      expect(m.headers.find((h) => h.name === "Call-ID")?.value).toBe(c0.callId);
      // The same pseudonyms on the next request (a new redactor), and other ones on another share.
      expect(callDetailSchema.parse((await visitor.get(`${prefix}/calls/0`)).json())).toEqual(c0);
      const another = await share({ redact: true });
      expect(callDetailSchema.parse((await visitor.get(`/api/shared/${another.token}/calls/0`)).json()).hosts[0]).not.toBe(c0.hosts[0]);
      // Search would run on the original values: refused rather than leaking them.
      expect((await visitor.get(`${prefix}/calls?q=4930555`)).statusCode).toBe(400);
    });
  });

  it("re-analyses parts of an older PARTS_VERSION on open, replacing every old part (calls, message blocks, findings)", async () => {
    const user = new Browser(app);
    await user.register(uniqueEmail("old-parts"));
    const created = analysisDetailSchema.parse((await user.post("/api/analyses", { text: syntheticTrace(6), title: "older parts" })).json());
    const counts = async () => ({
      calls: await app.prisma.analysisCall.count({ where: { analysisId: created.id } }),
      blocks: await app.prisma.analysisMessageBlock.count({ where: { analysisId: created.id } }),
      findings: await app.prisma.analysisFinding.count({ where: { analysisId: created.id } }),
    });
    const stored = await counts();
    expect(stored.calls).toBe(6);
    // as the previous version stored it: same parts, without what this version adds
    await app.prisma.analysis.update({ where: { id: created.id }, data: { partsVersion: PARTS_VERSION - 1 } });
    const res = await user.get(`/api/analyses/${created.id}`);
    expect(res.statusCode).toBe(200);
    expect(analysisDetailSchema.parse(res.json()).overview.timeDigits).toBeTypeOf("number");
    expect((await app.prisma.analysis.findUniqueOrThrow({ where: { id: created.id } })).partsVersion).toBe(PARTS_VERSION);
    expect(await counts()).toEqual(stored);
    const detail = callDetailSchema.parse((await user.get(`/api/analyses/${created.id}/calls/0`)).json());
    expect(detail.lanes?.map((l) => l.id)).toEqual(detail.hosts);
    const findings = findingListPageSchema.parse((await user.get(`/api/analyses/${created.id}/findings`)).json()).items;
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.evidenceWhere).toHaveLength(f.evidence.length);
  });

  it("opens a legacy analysis (one whole result, no parts) by re-analysing its stored input; title, note, owner and shares stay", async () => {
    const user = new Browser(app);
    await user.register(uniqueEmail("legacy"));
    const userId = (await user.get("/api/me")).json<{ user: { id: string } }>().user.id;
    const text = syntheticTrace(12);
    const result = analyzeText(text);
    const id = randomId();
    // The way the API stored analyses before parts.
    await app.prisma.analysis.create({
      data: {
        id,
        ownerId: userId,
        title: "old one",
        note: "kept",
        format: result.format,
        formatName: result.formatName,
        inputBytes: result.inputBytes,
        sha256: sha256Hex(Buffer.from(text)),
        messageCount: result.messageCount,
        callCount: result.calls.length,
        findingCount: result.findings.length,
        resultGz: new Uint8Array(gzipSync(JSON.stringify(result))),
        findings: { create: result.findings.map((f) => ({ findingId: f.id, code: f.code, severity: f.severity, title: f.title, callIds: f.callIds })) },
      },
    });
    await app.inputs.storePiece(app.prisma, id, 0, new Uint8Array(gzipSync(Buffer.from(text))));
    const tokenHashOf = (token: string) => sha256Hex(token);
    const token = randomId();
    await app.prisma.share.create({
      data: { id: randomId(), analysisId: id, tokenHash: tokenHashOf(token), title: "old share", redacted: true, snapshotGz: new Uint8Array(gzipSync("{}")) },
    });

    // A share opened first upgrades it as well as the owner opening it would.
    const shared = await new Browser(app).get(`/api/shared/${token}/calls/3`);
    expect(shared.statusCode).toBe(200);
    expect(shared.body).not.toMatch(/10\.20\.0\.\d/);
    const res = await user.get(`/api/analyses/${id}`);
    expect(res.statusCode).toBe(200);
    const detail = analysisDetailSchema.parse(res.json());
    expect(detail).toMatchObject({ title: "old one", note: "kept", saved: true, callCount: 12 });
    expect(detail.overview.callCount).toBe(12);
    expect(callListPageSchema.parse((await user.get(`/api/analyses/${id}/calls`)).json()).total).toBe(12);
    expect(findingListPageSchema.parse((await user.get(`/api/analyses/${id}/findings`)).json()).items.map((f) => f.id)).toEqual(
      result.findings.map((f) => f.id),
    );
    const row = await app.prisma.analysis.findUniqueOrThrow({ where: { id } });
    expect(row.partsVersion).toBe(PARTS_VERSION);
    expect(await app.prisma.analysisFinding.count({ where: { analysisId: id } })).toBe(result.findings.length);
    expect(sharedAnalysisSchema.parse((await new Browser(app).get(`/api/shared/${token}`)).json()).title).toBe("old share");
    // Still nobody else's.
    expect((await new Browser(app).get(`/api/analyses/${id}/calls`)).statusCode).toBe(404);
  });

  it("re-analyses an analysis stored with older parts when it is opened: its calls, blocks and findings are replaced, nothing doubled", async () => {
    const user = new Browser(app);
    const created = analysisDetailSchema.parse((await user.post("/api/analyses", { text: syntheticTrace(9), title: "older parts" })).json());
    const id = created.id;
    // What PARTS_VERSION 1 stored: no causes on the calls.
    await app.prisma.analysisCall.updateMany({ where: { analysisId: id }, data: { causeCodes: [] } });
    await app.prisma.analysis.update({ where: { id }, data: { partsVersion: PARTS_VERSION - 1 } });
    expect((await user.get(`/api/analyses/${id}/calls?cause=caller-hangup`)).json()).toMatchObject({ total: 3 });
    expect(await app.prisma.analysisCall.count({ where: { analysisId: id } })).toBe(9);
    expect(await app.prisma.analysisFinding.count({ where: { analysisId: id } })).toBe(created.findingCount);
    expect(await app.prisma.analysisMessageBlock.count({ where: { analysisId: id } })).toBe(1);
    expect((await app.prisma.analysis.findUniqueOrThrow({ where: { id } })).partsVersion).toBe(PARTS_VERSION);
  });
});
