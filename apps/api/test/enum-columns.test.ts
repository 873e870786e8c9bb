import type { ErrorCode, FormatId } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomId, sha256Hex } from "../src/lib/ids.js";
import { Browser, buildApp, fixture } from "./helper.js";

const text = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");

describe("enum-like columns are checked against the contracts at the repository boundary", () => {
  let app: FastifyInstance;
  const anonKey = randomId();
  const anon = sha256Hex(anonKey);
  const actor = { userId: null, anonKeyHash: anon };
  beforeAll(async () => {
    // The job runner must not take the rows this test makes by hand.
    app = await buildApp({ JOB_POLL_MS: "3600000" });
  });
  afterAll(async () => {
    await app.prisma.analysisJob.deleteMany({ where: { anonKeyHash: anon } });
    await app.close();
  });

  const newJob = (runningBy?: { workerId: string; leaseMs: number; bytesRead: number }) =>
    app.jobs.create(app.prisma, {
      id: randomId(),
      analysisId: randomId(),
      ownerId: null,
      anonKeyHash: anon,
      title: "t",
      sha256: "s",
      totalBytes: 10,
      ...(runningBy ? { runningBy } : {}),
    });

  it("a job status the contracts do not know is reported with its column when read, and the API answers 500", async () => {
    const job = await newJob();
    await app.prisma.$executeRaw`UPDATE analysis_job SET status = 'stuck' WHERE id = ${job.id}`;
    await expect(app.jobs.find(job.id, actor)).rejects.toThrow('analysis_job.status: "stuck"');
    const owner = new Browser(app);
    owner.cookies.set("siplens_anon", anonKey);
    expect((await owner.get(`/api/jobs/${job.id}`)).statusCode).toBe(500);
  });

  it("an error code outside the contracts is refused before it is stored", async () => {
    const job = await newJob({ workerId: "w", leaseMs: 60_000, bytesRead: 0 });
    await expect(app.jobs.fail(job.id, "w", { code: "exploded" as ErrorCode, message: "x" })).rejects.toThrow('analysis_job.error_code: "exploded"');
    const row = await app.prisma.analysisJob.findUniqueOrThrow({ where: { id: job.id } });
    expect({ status: row.status, errorCode: row.errorCode }).toEqual({ status: "running", errorCode: null });
  });

  it("a failed job's stored code the contracts no longer know reads as analysis-failed", async () => {
    const job = await newJob();
    await app.prisma.analysisJob.update({ where: { id: job.id }, data: { status: "failed", errorCode: "unprocessable", errorMessage: "old" } });
    const owner = new Browser(app);
    owner.cookies.set("siplens_anon", anonKey);
    const res = await owner.get(`/api/jobs/${job.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "failed", error: { error: "analysis-failed", message: "old" } });
  });

  it("a format outside the contracts is refused before the analysis row is written", async () => {
    const id = randomId();
    const output = { format: "floppy" as FormatId, formatName: "floppy", inputBytes: 1, messageCount: 0, callCount: 0, findingCount: 0 };
    await expect(
      app.analyses.insert(app.prisma, { id, ownerId: null, anonKeyHash: anon, title: "t", sha256: "s", output, overviewGz: new Uint8Array() }),
    ).rejects.toThrow('analysis.format: "floppy"');
    expect(await app.prisma.analysis.count({ where: { id } })).toBe(0);
  });

  it("a call outcome outside the contracts is reported when the call list is read", async () => {
    const browser = new Browser(app);
    const created = await browser.post("/api/analyses", { text });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    expect((await browser.get(`/api/analyses/${id}/calls`)).statusCode).toBe(200);
    await app.prisma.analysisCall.updateMany({ where: { analysisId: id }, data: { outcome: "vanished" } });
    await expect(app.parts.calls(id, { after: null, limit: 10 })).rejects.toThrow('analysis_call.outcome: "vanished"');
    expect((await browser.get(`/api/analyses/${id}/calls`)).statusCode).toBe(500);
    await browser.delete(`/api/analyses/${id}`);
  });
});
