import { analysisDetailSchema, errorBodySchema, MAX_PASTE_CHARS } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, fixture, multipartBody } from "./helper.js";

const UPLOAD_LIMIT = 64 * 1024;

describe("limits and bad input", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT), RATE_LIMIT_ANALYSES_MAX: "1000" });
  });
  afterAll(() => app.close());

  const error = (res: { json(): unknown }) => errorBodySchema.parse(res.json());

  it("garbage text is 422 not-a-trace, naming every format tried", async () => {
    const res = await new Browser(app).post("/api/analyses", { text: "hello, this is a shopping list\nmilk\neggs\n" });
    expect(res.statusCode).toBe(422);
    const body = error(res);
    expect(body.error).toBe("not-a-trace");
    expect(body.tried!.length).toBeGreaterThan(5);
    expect(body.tried).toEqual(expect.arrayContaining(["pcap", "pcapng"]));
    for (const name of body.tried!) expect(body.message).toContain(name);
  });

  it("garbage upload is 422 and leaves nothing stored", async () => {
    const chunksBefore = await app.prisma.analysisInputChunk.count();
    const junk = Buffer.alloc(40_000, 0x5a);
    const res = await new Browser(app).upload("/api/analyses/upload", junk, "junk.bin");
    expect(res.statusCode).toBe(422);
    expect(error(res).error).toBe("not-a-trace");
    expect(await app.prisma.analysisInputChunk.count()).toBe(chunksBefore);
  });

  it("empty input is 400", async () => {
    const b = new Browser(app);
    expect((await b.post("/api/analyses", { text: "" })).statusCode).toBe(400);
    expect((await b.post("/api/analyses", {})).statusCode).toBe(400);
    const emptyFile = await b.upload("/api/analyses/upload", Buffer.alloc(0), "empty.pcap");
    expect(emptyFile.statusCode).toBe(400);
    expect(error(emptyFile).message).toMatch(/empty/);
  });

  it("malformed requests are 400 / 415 with the JSON error shape", async () => {
    const b = new Browser(app);
    const badJson = await b.request("POST", "/api/analyses", { body: "{not json", headers: { "content-type": "application/json" } });
    expect(badJson.statusCode).toBe(400);
    expect(error(badJson).error).toBe("bad-request");
    const plain = await b.request("POST", "/api/analyses", { body: "INVITE sip:x SIP/2.0", headers: { "content-type": "text/plain" } });
    expect(plain.statusCode).toBe(415);
    expect(error(plain).error).toBe("unsupported-media-type");
    const notMultipart = await b.request("POST", "/api/analyses/upload", { json: { text: "x" } });
    expect(notMultipart.statusCode).toBe(415);
    const { body, contentType } = await multipartBody(fixture("S1a_caller_hangup_direct_udp.pcap"), "a.pcap", "upload");
    const wrongField = await b.request("POST", "/api/analyses/upload", { body, headers: { "content-type": contentType } });
    expect(wrongField.statusCode).toBe(400);
    expect(error(wrongField).message).toContain('"file"');
    const longNote = await b.request("PATCH", "/api/analyses/whatever", { json: { note: "x".repeat(10_001) } });
    expect(longNote.statusCode).toBe(400);
  });

  it("oversized paste is 413", async () => {
    const res = await new Browser(app).post("/api/analyses", { text: "a".repeat(MAX_PASTE_CHARS + 10) });
    expect(res.statusCode).toBe(413);
    expect(error(res).error).toBe("payload-too-large");
    const huge = await new Browser(app).request("POST", "/api/analyses", {
      body: JSON.stringify({ text: "a".repeat(MAX_PASTE_CHARS * 2) }),
      headers: { "content-type": "application/json" },
    });
    expect(huge.statusCode).toBe(413);
  });

  it("oversized upload is 413 and nothing of it is kept", async () => {
    const chunksBefore = await app.prisma.analysisInputChunk.count();
    const jobsBefore = await app.prisma.analysisJob.count();
    const pcap = fixture("S3_fork_caller_cancels_all_branches_487.pcapng");
    const big = Buffer.concat(Array.from({ length: Math.ceil((UPLOAD_LIMIT * 2) / pcap.length) }, () => pcap));
    const res = await new Browser(app).upload("/api/analyses/upload", big, "big.pcapng");
    expect(res.statusCode).toBe(413);
    expect(error(res).error).toBe("payload-too-large");
    expect(await app.prisma.analysisInputChunk.count()).toBe(chunksBefore);
    expect(await app.prisma.analysisJob.count()).toBe(jobsBefore);
  });

  it("a truncated pcapng is analysed up to the cut and the problem is located", async () => {
    const cut = fixture("S3_fork_caller_cancels_all_branches_487.pcapng").subarray(0, 9000);
    const res = await new Browser(app).upload("/api/analyses/upload", cut, "cut.pcapng");
    expect(res.statusCode).toBe(201);
    const detail = analysisDetailSchema.parse(res.json());
    expect(detail.overview.messageCount).toBeGreaterThan(0);
    expect(detail.overview.problems.some((p) => /truncat/i.test(p.message) && /byte|frame/.test(p.where))).toBe(true);
  });

  it("limits analyses per account or IP, and requests per IP", async () => {
    const strict = await buildApp({ RATE_LIMIT_ANALYSES_MAX: "2", RATE_LIMIT_MAX: "6" });
    try {
      const b = new Browser(strict);
      const text = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await b.post("/api/analyses", { text })).statusCode);
      expect(statuses).toEqual([201, 201, 429]);
      const more = [];
      for (let i = 0; i < 7; i++) more.push((await b.get("/api/me")).statusCode);
      expect(more).toEqual([200, 200, 200, 200, 200, 200, 429]);
      expect(error(await b.get("/api/me")).error).toBe("rate-limited");
    } finally {
      await strict.close();
    }
  });
});
