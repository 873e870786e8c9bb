import { shareCreatedSchema, sharedAnalysisSchema, shareListSchema, type AnalysisDetail } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../src/lib/ids.js";
import { Browser, buildApp, fixture, uniqueEmail } from "./helper.js";

describe("share links", () => {
  let app: FastifyInstance;
  let owner: Browser;
  let analysis: AnalysisDetail;
  beforeAll(async () => {
    app = await buildApp();
    owner = new Browser(app);
    await owner.register(uniqueEmail("sharer"));
    analysis = (await owner.upload("/api/analyses/upload", fixture("S3_fork_caller_cancels_all_branches_487.pcapng"), "fork.pcapng")).json();
  });
  afterAll(() => app.close());

  it("opens read-only without sign-in, focused, counting views; only the token hash is stored", async () => {
    const res = await owner.post(`/api/analyses/${analysis.id}/shares`, { focusMessageIndex: 2, expiresInDays: 3 });
    expect(res.statusCode).toBe(201);
    const share = shareCreatedSchema.parse(res.json());
    expect(share.token).toMatch(/^[A-Za-z0-9_-]{22}$/); // 128 random bits
    expect(share.url).toBe(`/s/${share.token}`);
    expect(share).toMatchObject({ views: 0, redact: false, focusMessageIndex: 2, focusFindingId: null, revokedAt: null });
    expect((Date.parse(share.expiresAt!) - Date.parse(share.createdAt)) / 86_400_000).toBeCloseTo(3, 3);
    const row = await app.prisma.share.findUniqueOrThrow({ where: { id: share.id } });
    expect(row.tokenHash).toBe(sha256Hex(share.token));
    expect(JSON.stringify(row)).not.toContain(share.token);

    const visitor = new Browser(app);
    for (let i = 0; i < 2; i++) {
      const open = await visitor.get(`/api/shared/${share.token}`);
      expect(open.statusCode).toBe(200);
      const shared = sharedAnalysisSchema.parse(open.json());
      expect(shared).toMatchObject({ title: "fork.pcapng", focusMessageIndex: 2, redacted: false });
      expect(shared.overview).toEqual(analysis.overview);
    }
    const list = shareListSchema.parse((await owner.get(`/api/analyses/${analysis.id}/shares`)).json());
    expect(list.items.find((s) => s.id === share.id)?.views).toBe(2);
    // The visitor cannot reach the analysis itself.
    expect((await visitor.get(`/api/analyses/${analysis.id}`)).statusCode).toBe(404);
  });

  it("is a frozen snapshot: later renames do not change it", async () => {
    const share = shareCreatedSchema.parse((await owner.post(`/api/analyses/${analysis.id}/shares`, {})).json());
    await owner.patch(`/api/analyses/${analysis.id}`, { title: "renamed later" });
    const shared = sharedAnalysisSchema.parse((await new Browser(app).get(`/api/shared/${share.token}`)).json());
    expect(shared.title).toBe("fork.pcapng");
    await owner.patch(`/api/analyses/${analysis.id}`, { title: "fork.pcapng" });
  });

  it("redacts numbers, addresses and hosts consistently when asked", async () => {
    // A title names the callee as often as not; it must not give away what the snapshot hides.
    const renamed = await owner.patch(`/api/analyses/${analysis.id}`, { title: "INVITE sip:2000@127.0.30.1 from 127.0.30.10" });
    expect(renamed.statusCode).toBe(200);
    const share = shareCreatedSchema.parse((await owner.post(`/api/analyses/${analysis.id}/shares`, { redact: true })).json());
    expect(share.redact).toBe(true);
    const shared = sharedAnalysisSchema.parse((await new Browser(app).get(`/api/shared/${share.token}`)).json());
    expect(shared.redacted).toBe(true);
    expect(shared.title).toMatch(/^INVITE sip:user-[a-z2-7]{8}@host-[a-z2-7]{8} from host-[a-z2-7]{8}$/);
    const text = JSON.stringify(shared.overview);
    for (const ip of ["127.0.30.10", "127.0.30.1", "127.0.30.31"]) expect(text).not.toContain(ip);
    // Same shape: the ladder and the calls still line up.
    expect(shared.overview.messageCount).toBe(analysis.overview.messageCount);
    expect(shared.overview.callCount).toBe(analysis.overview.callCount);
    expect(shared.overview.lanes.length).toBe(analysis.overview.lanes.length);
    // The title's pseudonyms are the parts' pseudonyms.
    const callerHost = /from (host-[a-z2-7]{8})$/.exec(shared.title)![1]!;
    expect(shared.overview.lanes.some((l) => l.id.startsWith(callerHost))).toBe(true);
  });

  it("refuses focus on what the analysis does not have", async () => {
    const tooFar = await owner.post(`/api/analyses/${analysis.id}/shares`, { focusMessageIndex: analysis.messageCount });
    expect(tooFar.statusCode).toBe(400);
    const noFinding = await owner.post(`/api/analyses/${analysis.id}/shares`, { focusFindingId: "f999" });
    expect(noFinding.statusCode).toBe(400);
    expect(noFinding.json<{ error: string }>().error).toBe("bad-request");
    const f = (await owner.get(`/api/analyses/${analysis.id}/findings`)).json<{ items: unknown[] }>().items[0] as { id: string } | undefined;
    if (f) expect((await owner.post(`/api/analyses/${analysis.id}/shares`, { focusFindingId: f.id })).statusCode).toBe(201);
  });

  it("stops working when revoked or expired; unknown tokens look the same", async () => {
    const share = shareCreatedSchema.parse((await owner.post(`/api/analyses/${analysis.id}/shares`, {})).json());
    const visitor = new Browser(app);
    expect((await visitor.get(`/api/shared/${share.token}`)).statusCode).toBe(200);
    expect((await owner.delete(`/api/shares/${share.id}`)).statusCode).toBe(204);
    const revoked = await visitor.get(`/api/shared/${share.token}`);
    expect(revoked.statusCode).toBe(404);
    const list = shareListSchema.parse((await owner.get(`/api/analyses/${analysis.id}/shares`)).json());
    expect(list.items.find((s) => s.id === share.id)?.revokedAt).not.toBeNull();

    const expiring = shareCreatedSchema.parse((await owner.post(`/api/analyses/${analysis.id}/shares`, { expiresInDays: 1 })).json());
    await app.prisma.share.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await visitor.get(`/api/shared/${expiring.token}`);
    expect(expired.statusCode).toBe(404);
    const unknown = await visitor.get(`/api/shared/${"A".repeat(22)}`);
    expect(unknown.statusCode).toBe(404);
    expect(expired.json()).toEqual(unknown.json());
  });

  it("dies with the analysis", async () => {
    const own = new Browser(app);
    const made = (await own.post("/api/analyses", { text: fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString() })).json<AnalysisDetail>();
    const share = shareCreatedSchema.parse((await own.post(`/api/analyses/${made.id}/shares`, {})).json());
    expect((await own.delete(`/api/analyses/${made.id}`)).statusCode).toBe(204);
    expect((await new Browser(app).get(`/api/shared/${share.token}`)).statusCode).toBe(404);
  });
});
