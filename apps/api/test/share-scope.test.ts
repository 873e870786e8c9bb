import {
  analysisDetailSchema,
  callDetailSchema,
  callListPageSchema,
  findingListPageSchema,
  messageDetailSchema,
  shareCreatedSchema,
  sharedAnalysisSchema,
  shareListSchema,
  type AnalysisDetail,
  type CallIndexRow,
} from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, fixture } from "./helper.js";

/**
 * A link to one call of a real capture with two correlated calls (four Call-IDs, two legs each):
 * it serves that call's legs, their messages and findings, an overview of them alone, and 404
 * for everything else.
 */
describe("share scope: this call only or the whole trace", () => {
  let app: FastifyInstance;
  let owner: Browser;
  let analysis: AnalysisDetail;
  let calls: CallIndexRow[];
  const base = () => `/api/analyses/${analysis.id}`;

  beforeAll(async () => {
    app = await buildApp();
    owner = new Browser(app);
    analysis = analysisDetailSchema.parse((await owner.upload("/api/analyses/upload", fixture("heuristic-two-calls.pcap"), "two-calls.pcap")).json());
    calls = callListPageSchema.parse((await owner.get(`${base()}/calls?limit=100`)).json()).items;
    expect(calls).toHaveLength(4);
  });
  afterAll(() => app.close());

  const share = async (body: object) => {
    const res = await owner.post(`${base()}/shares`, body);
    expect(res.statusCode, res.body).toBe(201);
    return shareCreatedSchema.parse(res.json());
  };

  it("a link to one call serves its legs and nothing of the other call", async () => {
    const chosen = calls.find((c) => c.group?.id === "g2")!;
    const legs = calls.filter((c) => c.group?.id === "g2");
    const other = calls.filter((c) => c.group?.id !== "g2");
    const link = await share({ scopeCallOrdinal: chosen.ordinal });
    expect(link).toMatchObject({ scope: "call", scopeCallIds: legs.map((c) => c.callId) });
    const visitor = new Browser(app);
    const at = `/api/shared/${link.token}`;

    const shared = sharedAnalysisSchema.parse((await visitor.get(at)).json());
    expect(shared.scope).toBe("call");
    const legDetails = await Promise.all(legs.map(async (c) => callDetailSchema.parse((await owner.get(`${base()}/calls/${c.ordinal}`)).json())));
    expect(shared.overview).toMatchObject({
      callCount: 2,
      messageCount: legDetails.reduce((n, d) => n + d.messages.length, 0),
      correlated: { calls: 1, legs: 2 },
    });
    expect(shared.overview.messageCount).toBeLessThan(analysis.overview.messageCount);
    expect(JSON.stringify(shared.overview)).not.toContain(other[0]!.callId);

    const list = callListPageSchema.parse((await visitor.get(`${at}/calls`)).json());
    expect(list.items.map((c) => c.ordinal)).toEqual(legs.map((c) => c.ordinal));
    expect(list.total).toBe(2);
    expect((await visitor.get(`${at}/calls?group=g1`)).json()).toMatchObject({ total: 0 });
    expect((await visitor.get(`${at}/calls/${chosen.ordinal}`)).statusCode).toBe(200);
    for (const c of other) expect((await visitor.get(`${at}/calls/${c.ordinal}`)).statusCode).toBe(404);

    const own = legDetails[0]!.messages[0]!.index;
    expect(messageDetailSchema.parse((await visitor.get(`${at}/messages/${own}`)).json()).callId).toBe(legs[0]!.callId);
    const otherDetail = callDetailSchema.parse((await owner.get(`${base()}/calls/${other[0]!.ordinal}`)).json());
    const foreign = await visitor.get(`${at}/messages/${otherDetail.messages[0]!.index}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: "not-found" });
    expect((await visitor.get(`${at}/window?start=0&count=50`)).statusCode).toBe(404);

    const findings = findingListPageSchema.parse((await visitor.get(`${at}/findings`)).json());
    const legIds = new Set(legs.map((c) => c.callId));
    expect(findings.items.every((f) => f.callIds.length > 0 && f.callIds.every((id) => legIds.has(id)))).toBe(true);
    const expected = legDetails.flatMap((d) => d.findings.map((f) => f.id));
    expect(
      findings.items
        .map((f) => f.id)
        .filter((id) => expected.includes(id))
        .sort(),
    ).toEqual([...new Set(expected)].sort());
    expect(shared.overview.findingCount).toBe(findings.total);
  });

  it("a redacted link to one call pseudonymises its overview and parts like a whole-trace one", async () => {
    const chosen = calls.find((c) => c.group?.id === "g1")!;
    expect(JSON.stringify(analysis.overview)).toContain("127.0.34.1");
    const link = await share({ scopeCallOrdinal: chosen.ordinal, redact: true });
    const visitor = new Browser(app);
    const shared = sharedAnalysisSchema.parse((await visitor.get(`/api/shared/${link.token}`)).json());
    expect(shared).toMatchObject({ scope: "call", redacted: true, overview: { callCount: 2 } });
    const list = callListPageSchema.parse((await visitor.get(`/api/shared/${link.token}/calls`)).json());
    expect(list.items).toHaveLength(2);
    for (const row of list.items) expect(row.callId).not.toBe(chosen.callId);
    expect(JSON.stringify(shared.overview)).not.toContain("127.0.34.1");
  });

  it("the whole trace stays the default, and the links list says which scope each link has", async () => {
    const whole = await share({});
    expect(whole).toMatchObject({ scope: "trace", scopeCallIds: [] });
    const visitor = new Browser(app);
    const shared = sharedAnalysisSchema.parse((await visitor.get(`/api/shared/${whole.token}`)).json());
    expect(shared).toMatchObject({ scope: "trace" });
    expect(shared.overview).toEqual(analysis.overview);
    expect((await visitor.get(`/api/shared/${whole.token}/window?start=0&count=50`)).statusCode).toBe(200);
    const listed = shareListSchema.parse((await owner.get(`${base()}/shares`)).json()).items;
    expect(listed.find((s) => s.id === whole.id)?.scope).toBe("trace");
    expect(listed.some((s) => s.scope === "call")).toBe(true);
  });

  it("refuses a call that does not exist and a focus outside the shared call, saying why", async () => {
    const missing = await owner.post(`${base()}/shares`, { scopeCallOrdinal: 99 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ message: string }>().message).toBe("scopeCallOrdinal 99: the analysis has no such call");
    const g1 = calls.find((c) => c.group?.id === "g1")!;
    const g2 = callDetailSchema.parse((await owner.get(`${base()}/calls/${calls.find((c) => c.group?.id === "g2")!.ordinal}`)).json());
    const elsewhere = await owner.post(`${base()}/shares`, { scopeCallOrdinal: g1.ordinal, focusMessageIndex: g2.messages[0]!.index });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json<{ message: string }>().message).toBe(`focusMessageIndex ${g2.messages[0]!.index} is not a message of call ${g1.ordinal}`);
    const finding = g2.findings[0]!;
    expect(finding).toBeDefined();
    const wrong = await owner.post(`${base()}/shares`, { scopeCallOrdinal: g1.ordinal, focusFindingId: finding.id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ message: string }>().message).toContain(`focusFindingId "${finding.id}" is not about call ${g1.ordinal} alone`);
  });
});
