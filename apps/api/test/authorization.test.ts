import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, fixture, uniqueEmail, waitForJob } from "./helper.js";

const text = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");
type Who = "anonymous" | "owner" | "otherUser" | "tokenHolder";
const everyone: Who[] = ["anonymous", "owner", "otherUser", "tokenHolder"];

/**
 * Every route × every kind of caller. "Not yours" answers exactly like "unknown" (404), so
 * nobody learns that an analysis, job or share exists.
 */
describe("authorization matrix", () => {
  let app: FastifyInstance;
  const browsers = {} as Record<Who, Browser>;
  let analysisId: string;
  let jobId: string;
  let shareId: string;
  let token: string;

  beforeAll(async () => {
    app = await buildApp({ PASTE_INLINE_MAX_BYTES: "4096" });
    for (const who of everyone) browsers[who] = new Browser(app);
    await browsers.owner.register(uniqueEmail("owner"));
    await browsers.otherUser.register(uniqueEmail("other"));
    const accepted = await browsers.owner.post("/api/analyses", { text: `${text}\n${text}`, title: "matrix" });
    expect(accepted.statusCode).toBe(202);
    jobId = accepted.json<{ job: { id: string } }>().job.id;
    const settled = await waitForJob(browsers.owner, jobId);
    analysisId = settled.job.analysisId!;
    const share = await browsers.owner.post(`/api/analyses/${analysisId}/shares`, {});
    shareId = share.json<{ id: string }>().id;
    token = share.json<{ token: string }>().token;
  });
  afterAll(() => app.close());

  const expectStatus = async (who: Who, method: string, url: string, expected: number, json?: unknown) => {
    const res = await browsers[who].request(method, url, json === undefined ? {} : { json });
    expect({ who, method, url, status: res.statusCode }).toEqual({ who, method, url, status: expected });
    if (expected === 404) expect(res.json<{ error: string }>().error).toBe("not-found");
    return res;
  };

  it("GET /api/analyses/:id", async () => {
    for (const who of everyone) await expectStatus(who, "GET", `/api/analyses/${analysisId}`, who === "owner" ? 200 : 404);
    // A share token is not an analysis id.
    await expectStatus("tokenHolder", "GET", `/api/analyses/${token}`, 404);
  });

  it("PATCH /api/analyses/:id", async () => {
    for (const who of everyone) await expectStatus(who, "PATCH", `/api/analyses/${analysisId}`, who === "owner" ? 200 : 404, { note: `by ${who}` });
    expect((await browsers.owner.get(`/api/analyses/${analysisId}`)).json<{ note: string }>().note).toBe("by owner");
  });

  it("GET /api/analyses (list)", async () => {
    const expected: Record<Who, number> = { anonymous: 401, owner: 200, otherUser: 200, tokenHolder: 401 };
    for (const who of everyone) {
      const res = await expectStatus(who, "GET", "/api/analyses", expected[who]);
      if (res.statusCode === 200) {
        const ids = (res.json<{ items: unknown[] }>().items as Array<{ id: string }>).map((i) => i.id);
        expect(ids.includes(analysisId)).toBe(who === "owner");
      }
    }
  });

  it("GET /api/jobs/:jobId", async () => {
    for (const who of everyone) await expectStatus(who, "GET", `/api/jobs/${jobId}`, who === "owner" ? 200 : 404);
  });

  it("POST and GET /api/analyses/:id/shares", async () => {
    for (const who of everyone) await expectStatus(who, "POST", `/api/analyses/${analysisId}/shares`, who === "owner" ? 201 : 404, {});
    for (const who of everyone) await expectStatus(who, "GET", `/api/analyses/${analysisId}/shares`, who === "owner" ? 200 : 404);
  });

  it("GET /api/shared/:token opens for everyone", async () => {
    for (const who of everyone) await expectStatus(who, "GET", `/api/shared/${token}`, 200);
  });

  it("DELETE /api/shares/:shareId", async () => {
    for (const who of everyone.filter((w) => w !== "owner")) await expectStatus(who, "DELETE", `/api/shares/${shareId}`, 404);
    await expectStatus("tokenHolder", "GET", `/api/shared/${token}`, 200);
    await expectStatus("owner", "DELETE", `/api/shares/${shareId}`, 204);
    await expectStatus("tokenHolder", "GET", `/api/shared/${token}`, 404);
  });

  it("POST /api/analyses and /upload are open to everyone; what they make is their own", async () => {
    for (const who of everyone) {
      const res = await expectStatus(who, "POST", "/api/analyses", 201, { text });
      const id = res.json<{ id: string }>().id;
      for (const other of everyone) await expectStatus(other, "GET", `/api/analyses/${id}`, other === who ? 200 : 404);
      const up = await browsers[who].upload("/api/analyses/upload", fixture("S1a_caller_hangup_direct_udp.pcap"), "a.pcap");
      expect(up.statusCode).toBe(201);
    }
  });

  it("GET /api/me", async () => {
    for (const who of everyone) {
      const res = await expectStatus(who, "GET", "/api/me", 200);
      expect(res.json<{ user: unknown }>().user !== null).toBe(who === "owner" || who === "otherUser");
    }
  });

  it("DELETE /api/analyses/:id", async () => {
    for (const who of everyone.filter((w) => w !== "owner")) await expectStatus(who, "DELETE", `/api/analyses/${analysisId}`, 404);
    await expectStatus("owner", "GET", `/api/analyses/${analysisId}`, 200);
    await expectStatus("owner", "DELETE", `/api/analyses/${analysisId}`, 204);
    await expectStatus("owner", "GET", `/api/analyses/${analysisId}`, 404);
  });
});
