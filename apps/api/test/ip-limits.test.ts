import { errorBodySchema } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomId, sha256Hex } from "../src/lib/ids.js";
import { Browser, buildApp, fixture, multipartBody, uniqueEmail, waitForJob } from "./helper.js";

const text = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");
const pcap = fixture("S1a_caller_hangup_direct_udp.pcap");
const ADDRESS = "203.0.113.7";
const OTHER = "198.51.100.20";

/**
 * Anonymous browser keys cost nothing (clear the cookie, get a new one), so the per-owner queue
 * depth and fair scheduling alone let one address flood the queue: they also count per address.
 */
describe("anonymous jobs are bounded and scheduled per client address", () => {
  let app: FastifyInstance;
  /** A request from `ip` with no cookie: a browser key minted just now. */
  const fresh = (ip: string, method: "POST", url: string, payload: object | Buffer, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload, remoteAddress: ip, headers });
  const paste = (ip: string) => fresh(ip, "POST", "/api/analyses", { text, title: `from ${ip}` });
  const runningElsewhere = (clientKey: string, title: string) =>
    app.jobs.create(app.prisma, {
      id: randomId(),
      analysisId: randomId(),
      ownerId: null,
      anonKeyHash: sha256Hex(randomId()),
      clientKey,
      title,
      sha256: "x",
      totalBytes: 10,
      runningBy: { workerId: "another-instance", leaseMs: 3_600_000, bytesRead: 0 },
    });
  let clientKey = "";

  beforeAll(async () => {
    app = await buildApp({
      JOB_QUEUE_MAX_PER_IP: "3",
      JOB_QUEUE_MAX_PER_OWNER: "2",
      PASTE_INLINE_MAX_BYTES: "1024",
      RATE_LIMIT_ANALYSES_MAX: "1000",
      JOB_POLL_MS: "3600000",
    });
    await app.prisma.analysisJob.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "failed", lockedBy: null } });
    // A real job from the address, to learn the key its jobs are stored under.
    const accepted = await paste(ADDRESS);
    expect(accepted.statusCode).toBe(202);
    const jobId = accepted.json<{ job: { id: string } }>().job.id;
    const browser = new Browser(app);
    browser.cookies.set("siplens_anon", /siplens_anon=([^;]+)/.exec(String(accepted.headers["set-cookie"]))![1]!);
    expect((await waitForJob(browser, jobId)).job.status).toBe("done");
    clientKey = (await app.prisma.analysisJob.findUniqueOrThrow({ where: { id: jobId } })).clientKey ?? "";
  });
  afterAll(async () => {
    await app.prisma.analysisJob.updateMany({ where: { lockedBy: "another-instance" }, data: { status: "failed", lockedBy: null } });
    await app.close();
  });

  it("stores a keyed hash of the address, never the address", () => {
    expect(clientKey).toMatch(/^[0-9a-f]{64}$/);
    expect(clientKey).not.toBe(sha256Hex(ADDRESS));
  });

  it("refuses a new browser key from an address that has its most jobs waiting, saying so; other addresses and accounts are not affected", async () => {
    for (let i = 0; i < 3; i++) await runningElsewhere(clientKey, `minted cookie ${i}`);

    const refused = await paste(ADDRESS);
    expect(refused.statusCode).toBe(429);
    expect(errorBodySchema.parse(refused.json())).toEqual({
      error: "quota-exceeded",
      message:
        "your address has 3 analyses waiting or running; at most 3 at a time are allowed from one address without an account: wait for one to finish, or sign in",
    });
    const { body, contentType } = await multipartBody(pcap, "more.pcap");
    expect((await fresh(ADDRESS, "POST", "/api/analyses/upload", body, { "content-type": contentType })).statusCode).toBe(429);

    expect((await paste(OTHER)).statusCode).toBe(202);
    const account = new Browser(app);
    await account.register(uniqueEmail("same-address"));
    const signedIn = await app.inject({
      method: "POST",
      url: "/api/analyses",
      payload: { text },
      remoteAddress: ADDRESS,
      headers: { cookie: account.cookieHeader },
    });
    expect(signedIn.statusCode).toBe(202);
  });

  it("schedules anonymous jobs per address: an address with jobs running waits behind one with none, however many keys it uses", async () => {
    await app.prisma.analysisJob.updateMany({
      where: { status: { in: ["queued", "running"] }, lockedBy: { not: "another-instance" } },
      data: { status: "failed", lockedBy: null },
    });
    const queued = async (key: string, title: string) =>
      app.jobs.create(app.prisma, {
        id: randomId(),
        analysisId: randomId(),
        ownerId: null,
        anonKeyHash: sha256Hex(randomId()),
        clientKey: key,
        title,
        sha256: "x",
        totalBytes: 10,
      });
    // Older first: the flooding address's jobs, each under a key of its own, then one from another address.
    await queued(clientKey, "flood 1");
    await queued(clientKey, "flood 2");
    const other = await queued(sha256Hex("another address"), "other address");
    const first = await app.jobs.claimNext("fairness-test", 60_000);
    expect(first?.id).toBe(other.id);
    await app.prisma.analysisJob.updateMany({ where: { lockedBy: "fairness-test" }, data: { status: "failed", lockedBy: null } });
    await app.prisma.analysisJob.updateMany({ where: { title: { startsWith: "flood" } }, data: { status: "failed" } });
  });
});
