import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { analysisDetailSchema, jobAcceptedSchema } from "@siplens/contracts";
import { startEmbeddedPostgres, type RunningPostgres } from "@siplens/db";
import { createTestDatabase, type TestDatabase } from "@siplens/db/testing";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, uniqueEmail, waitForJob } from "./helper.js";
import { syntheticTrace } from "./synthetic-trace.js";

/**
 * What `npm start` gives a newcomer without DATABASE_URL: the embedded server. It must take
 * parallel uploads and pastes like any PostgreSQL (the former PGlite one lost answers here).
 */
describe("the embedded default database under parallel work", () => {
  let folder: string;
  let server: RunningPostgres;
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "siplens-embedded-default-"));
    await chmod(folder, 0o755); // reachable by the server's user when this runs as root
    server = await startEmbeddedPostgres({ dataDir: path.join(folder, ".data") });
    database = await createTestDatabase("embedded_default", { databaseUrl: server.url });
    app = await buildApp({ DATABASE_URL: database.url, UPLOAD_WAIT_MS: "1000", ANALYSIS_WORKERS: "2" });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  /** The analysis an answer leads to, following a 202's job to its end. */
  async function analysisOf(browser: Browser, res: LightMyRequestResponse): Promise<string> {
    if (res.statusCode === 201) return analysisDetailSchema.parse(res.json()).id;
    expect(res.statusCode).toBe(202);
    const { res: final, job } = await waitForJob(browser, jobAcceptedSchema.parse(res.json()).job.id, 240_000);
    expect(final.statusCode).toBe(200);
    expect(job).toMatchObject({ status: "done" });
    return (job as { analysisId: string }).analysisId;
  }

  it("answers every one of many parallel uploads and pastes with its analysis", async () => {
    const browser = new Browser(app);
    await browser.register(uniqueEmail("embedded"));
    const uploads = Array.from({ length: 3 }, (_, i) => ({ calls: 1000 + i, file: Buffer.from(syntheticTrace(1000 + i), "utf8") }));
    const pastes = Array.from({ length: 10 }, (_, i) => ({ calls: 5 + i, text: syntheticTrace(5 + i) }));

    const answers = await Promise.all([
      ...uploads.map(async ({ calls, file }) => ({
        calls,
        id: await analysisOf(browser, await browser.upload("/api/analyses/upload", file, `bulk-${calls}.txt`)),
      })),
      ...pastes.map(async ({ calls, text }) => ({
        calls,
        id: await analysisOf(browser, await browser.post("/api/analyses", { text, title: `paste ${calls}` })),
      })),
    ]);

    for (const { calls, id } of answers) {
      const res = await browser.get(`/api/analyses/${id}`);
      expect(res.statusCode).toBe(200);
      expect(analysisDetailSchema.parse(res.json()).overview.callCount).toBe(calls);
    }
    expect(new Set(answers.map((a) => a.id)).size).toBe(uploads.length + pastes.length);
  }, 600_000);
});
