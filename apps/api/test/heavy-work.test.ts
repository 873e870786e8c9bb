import { shareCreatedSchema, type AnalysisDetail } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpError } from "../src/errors.js";
import { createGate } from "../src/lib/gate.js";
import { Browser, buildApp, fixture, uniqueEmail } from "./helper.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the heavy-work gate", () => {
  it("runs at most `slots` at once, lets a few wait briefly in order, and refuses the rest with a 503 to retry", async () => {
    const gate = createGate({ slots: 2, maxWaitMs: 150, maxWaiting: 2, busy: "busy" });
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = (n: number, ms: number) => async () => {
      most = Math.max(most, ++running);
      await sleep(ms);
      running--;
      order.push(n);
      return n;
    };
    const settled = await Promise.allSettled([
      gate.run(work(1, 60)),
      gate.run(work(2, 60)),
      gate.run(work(3, 10)), // waits ~60 ms: admitted
      gate.run(work(4, 10)), // waits ~60 ms: admitted
      gate.run(work(5, 10)), // a third waiter: refused at once
    ]);
    expect(most).toBe(2);
    expect(settled.slice(0, 4).map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(order.slice(2).sort()).toEqual([3, 4]);
    const refused = settled[4];
    expect(refused?.status).toBe("rejected");
    const error = (refused as PromiseRejectedResult).reason as HttpError;
    expect(error).toMatchObject({ statusCode: 503, code: "unavailable", retryAfterSeconds: 1 });

    // A waiter whose wait runs out is refused and leaves the queue; the gate works on afterwards.
    let release: () => void = () => undefined;
    const held = gate.run(() => new Promise<void>((r) => (release = r)));
    const held2 = gate.run(() => sleep(400));
    await expect(gate.run(work(6, 1))).rejects.toMatchObject({ statusCode: 503 });
    expect(gate.stats).toEqual({ running: 2, waiting: 0 });
    release();
    await Promise.all([held, held2]);
    await expect(gate.run(work(7, 1))).resolves.toBe(7);
    expect(gate.stats).toEqual({ running: 0, waiting: 0 });
  });
});

describe("opening shares within the heavy-work bound", () => {
  let app: FastifyInstance;
  let owner: Browser;
  let analysis: AnalysisDetail;
  beforeAll(async () => {
    app = await buildApp({ OPEN_HEAVY_MAX: "1", OPEN_HEAVY_WAIT_MS: "200" });
    owner = new Browser(app);
    await owner.register(uniqueEmail("heavy"));
    analysis = (await owner.upload("/api/analyses/upload", fixture("S3_fork_caller_cancels_all_branches_487.pcapng"), "fork.pcapng")).json();
  });
  afterAll(() => app.close());

  it("a redacted share waits for a slot and gets 503 + Retry-After when none frees up; a plain share is not held up", async () => {
    const redacted = shareCreatedSchema.parse((await owner.post(`/api/analyses/${analysis.id}/shares`, { redact: true })).json());
    const plain = shareCreatedSchema.parse((await owner.post(`/api/analyses/${analysis.id}/shares`, {})).json());
    const visitor = new Browser(app);

    let release: () => void = () => undefined;
    const busy = app.heavyWork.run(() => new Promise<void>((r) => (release = r)));
    const refused = await visitor.get(`/api/shared/${redacted.token}`);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(refused.json()).toMatchObject({ error: "unavailable", message: expect.stringMatching(/busy/) });
    // Creating a redacted link builds its pseudonyms from the overview: bounded too.
    expect((await owner.post(`/api/analyses/${analysis.id}/shares`, { redact: true })).statusCode).toBe(503);
    expect((await visitor.get(`/api/shared/${plain.token}`)).statusCode).toBe(200);

    // Freed within the wait: the waiting open is served.
    const waiting = visitor.get(`/api/shared/${redacted.token}`);
    await sleep(50);
    release();
    await busy;
    expect((await waiting).statusCode).toBe(200);
    expect(app.heavyWork.stats).toEqual({ running: 0, waiting: 0 });
  });

  it("8 parallel opens of a redacted share: at most one builds at a time, every visitor gets 200 or a 503 to retry", async () => {
    const redacted = shareCreatedSchema.parse((await owner.post(`/api/analyses/${analysis.id}/shares`, { redact: true, shiftTimes: true })).json());
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, app.heavyWork.stats.running)), 1);
    const answers = await Promise.all(Array.from({ length: 8 }, () => new Browser(app).get(`/api/shared/${redacted.token}`)));
    clearInterval(sampler);
    expect(most).toBeLessThanOrEqual(1);
    for (const a of answers) expect([200, 503]).toContain(a.statusCode);
    expect(answers.filter((a) => a.statusCode === 200).length).toBeGreaterThan(0);
  });
});
