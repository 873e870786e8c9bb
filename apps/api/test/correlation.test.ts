import { analysisDetailSchema, callDetailSchema, callListPageSchema, shareCreatedSchema, type AnalysisDetail } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, fixture } from "./helper.js";

/**
 * Two concurrent calls through a Kamailio topoh SBC (packages/analysis/test/fixtures/correlation):
 * four Call-IDs, two correlated calls. The call rows carry their group, and the list filters by it.
 */
describe("correlated calls: stored group per leg, filter by group", () => {
  let app: FastifyInstance;
  let owner: Browser;
  let analysis: AnalysisDetail;
  const base = () => `/api/analyses/${analysis.id}`;
  const list = async (browser: Browser, prefix: string, query = "") =>
    callListPageSchema.parse((await browser.get(`${prefix}/calls?limit=100${query}`)).json());

  beforeAll(async () => {
    app = await buildApp();
    owner = new Browser(app);
    const res = await owner.upload("/api/analyses/upload", fixture("heuristic-two-calls.pcap"), "two-calls.pcap");
    expect(res.statusCode).toBe(201);
    analysis = analysisDetailSchema.parse(res.json());
  });
  afterAll(() => app.close());

  it("stores each leg's group: id, basis, confidence, legs and its place among them", async () => {
    const page = await list(owner, base());
    expect(page.total).toBe(4);
    const groups = new Map<string, typeof page.items>();
    for (const row of page.items) {
      expect(row.group).toBeDefined();
      groups.set(row.group!.id, [...(groups.get(row.group!.id) ?? []), row]);
    }
    expect([...groups.keys()].sort()).toEqual(["g1", "g2"]);
    for (const rows of groups.values()) {
      expect(rows.map((r) => r.group!.leg)).toEqual([1, 2]);
      for (const r of rows) expect(r.group).toMatchObject({ basis: "heuristic", confidence: 0.75, legs: 2, callIds: rows.map((x) => x.callId) });
      // caller leg and SBC leg of one call: same numbers
      expect(rows[1]!.from?.split("@")[0]).toBe(rows[0]!.from?.split("@")[0]);
      expect(rows[1]!.group!.note).toMatch(/^heuristic: same From \d+, To \d+; 127\.0\.34\.1 received/);
    }
    const stored = await app.prisma.analysisCall.findMany({
      where: { analysisId: analysis.id },
      orderBy: { ordinal: "asc" },
      select: { groupId: true, groupLegs: true },
    });
    expect(stored.every((s) => s.groupLegs === 2 && /^g[12]$/.test(s.groupId ?? ""))).toBe(true);
    // the call detail (stored gzip) carries the same group
    const detail = callDetailSchema.parse((await owner.get(`${base()}/calls/${page.items[0]!.ordinal}`)).json());
    expect(detail.group).toEqual(page.items[0]!.group);
  });

  it("filters the call list by group: the legs of one correlated call, in leg order", async () => {
    const all = await list(owner, base());
    const g2 = await list(owner, base(), "&group=g2");
    expect(g2.total).toBe(2);
    expect(g2.items.map((r) => r.callId)).toEqual(all.items.find((r) => r.group!.id === "g2")!.group!.callIds);
    expect((await list(owner, base(), "&group=g9")).total).toBe(0);
    expect((await owner.get(`${base()}/calls?group=x'`)).statusCode).toBe(400);
  });

  it("through a redacted share link the group's Call-IDs are pseudonymised like the rows' own", async () => {
    const s = shareCreatedSchema.parse((await owner.post(`${base()}/shares`, { redact: true })).json());
    const visitor = new Browser(app);
    const page = await list(visitor, `/api/shared/${s.token}`, "&group=g1");
    expect(page.total).toBe(2);
    expect(page.items[0]!.group!.callIds).toEqual(page.items.map((r) => r.callId));
    expect(JSON.stringify(page)).not.toContain("127.0.34.");
  });
});
