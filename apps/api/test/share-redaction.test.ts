import {
  callDetailSchema,
  callListPageSchema,
  findingListPageSchema,
  messageDetailSchema,
  shareCreatedSchema,
  sharedAnalysisSchema,
  traceWindowSchema,
  type AnalysisDetail,
  type MessageDetail,
} from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, fixture, uniqueEmail } from "./helper.js";

const DAY = 86_400;
const DATE = "Thu, 26 Nov 2026 03:44:35 GMT";
const CALLED = "+15551230001;npdi;rn=+15559870002@gw1.carrier-a.example.net";
/** What the planted trace and its title name, and no redacted part may. */
const SECRETS = [
  "15551230001",
  "15559870002",
  "gw1.carrier-a.example.net",
  "CUSTOMER-31337",
  "acct-55121",
  "voip.tenant-r.example.com",
  "9b7c5d3e1f20",
  "carolynn",
  "hunter2",
  "pbx7.tenant-q.example.com",
  "6d2f9e8a7b1c4d5e",
  "CUST-778812",
  "ZQ00998877",
  "127.0.11.10",
  "127.0.11.21",
  "sip:1001@",
  "Caller 1001",
  "26 Nov 2026",
  "2026-11-26",
];

/** The corpus call with identifiers of several kinds planted in the INVITE, the 100 and every Call-ID. */
function plantedTrace(): string {
  return fixture("S1a_caller_hangup_direct_udp.sngrep.txt")
    .toString("utf8")
    .replaceAll("2001@127.0.11.21", CALLED)
    .replaceAll("1-17549@127.0.11.10", "CUST-778812-4c1f@app7.billing.example.net")
    .replace(
      "Max-Forwards: 70\r\n",
      [
        "Max-Forwards: 70",
        "X-Customer-Id: CUSTOMER-31337",
        'Proxy-Authorization: Digest username=acct-55121, realm="voip.tenant-r.example.com", nonce=9b7c5d3e1f20, uri="sip:carolynn:hunter2@pbx7.tenant-q.example.com", response=6d2f9e8a7b1c4d5e',
        `Date: ${DATE}`,
        "",
      ].join("\r\n"),
    )
    .replace("SIP/2.0 100 Trying\r\n", "SIP/2.0 100 Trying\r\nServer: ZQ-PBX/4.2.1 SN:ZQ00998877\r\n");
}

/** An app, a signed-in owner and their analysis of the planted trace, titled by its identifiers. */
async function ownedPlantedAnalysis(): Promise<{ app: FastifyInstance; owner: Browser; analysis: AnalysisDetail }> {
  const app = await buildApp();
  const owner = new Browser(app);
  await owner.register(uniqueEmail("redactor"));
  const made = await owner.post("/api/analyses", { text: plantedTrace(), title: `INVITE sip:${CALLED} from 127.0.11.10 (RFC 3261 §17.1.1.3)` });
  expect(made.statusCode).toBe(201);
  return { app, owner, analysis: made.json() };
}

describe("a redacted share with shifted times", () => {
  let app: FastifyInstance;
  let owner: Browser;
  let analysis: AnalysisDetail;
  beforeAll(async () => void ({ app, owner, analysis } = await ownedPlantedAnalysis()));
  afterAll(() => app.close());

  /** Every part a visitor of the link can read, through the HTTP routes. */
  async function readShare(token: string) {
    const visitor = new Browser(app);
    const base = `/api/shared/${token}`;
    const shared = sharedAnalysisSchema.parse((await visitor.get(base)).json());
    const calls = callListPageSchema.parse((await visitor.get(`${base}/calls`)).json());
    const call = callDetailSchema.parse((await visitor.get(`${base}/calls/0`)).json());
    const messages: MessageDetail[] = [];
    for (let i = 0; i < shared.overview.messageCount; i++) messages.push(messageDetailSchema.parse((await visitor.get(`${base}/messages/${i}`)).json()));
    const window = traceWindowSchema.parse((await visitor.get(`${base}/window?start=0`)).json());
    const findings = findingListPageSchema.parse((await visitor.get(`${base}/findings`)).json());
    return { visitor, base, shared, calls, call, messages, window, findings };
  }

  it("shows no planted identifier in any part or the title, one pseudonym per value, RFC sections intact", async () => {
    const res = await owner.post(`/api/analyses/${analysis.id}/shares`, { redact: true, shiftTimes: true });
    expect(res.statusCode).toBe(201);
    const { shared, calls, call, messages, window, findings } = await readShare(shareCreatedSchema.parse(res.json()).token);
    const everything = JSON.stringify([shared, calls, call, messages, window, findings]);
    for (const secret of SECRETS) expect(everything, secret).not.toContain(secret);
    expect(shared).toMatchObject({ redacted: true, timesShifted: true });
    expect(shared.title).toMatch(/^INVITE sip:user-[a-z2-7]{8};npdi;rn=user-[a-z2-7]{8}@host-[a-z2-7]{8} from host-[a-z2-7]{8} \(RFC 3261 §17\.1\.1\.3\)$/);
    // The same Call-ID, number and host get the same pseudonym in every request.
    const callId = calls.items[0]!.callId;
    expect(callId).toMatch(/^call-[a-z2-7]{8}$/);
    expect(call.callId).toBe(callId);
    expect(messages.every((m) => m.callId === callId && m.raw.includes(`Call-ID: ${callId}`))).toBe(true);
    expect(findings.items.flatMap((f) => f.callIds)).toEqual(findings.items.map(() => callId));
    const calledUser = /^INVITE sip:(user-[a-z2-7]{8});/.exec(shared.title)![1]!;
    expect(messages[0]!.raw).toContain(`INVITE sip:${calledUser};npdi;rn=`);
    expect(messages[0]!.headers.find((h) => h.name === "X-Customer-Id")?.value).toMatch(/^id-[a-z2-7]{8}$/);
    expect(messages.map((m) => m.label)).toEqual(expect.arrayContaining(["INVITE", "100 Trying", "CANCEL", "487 Request Terminated"]));
    expect(findings.items.map((f) => f.code)).toContain("caller-hangup");
  });

  it("moves every absolute time by one offset per link, keeps intervals, and reads a visitor's times in the shifted clock", async () => {
    const ownMessages: MessageDetail[] = [];
    for (let i = 0; i < analysis.messageCount; i++)
      ownMessages.push(messageDetailSchema.parse((await owner.get(`/api/analyses/${analysis.id}/messages/${i}`)).json()));
    const share = shareCreatedSchema.parse((await owner.post(`/api/analyses/${analysis.id}/shares`, { shiftTimes: true })).json());
    const { visitor, base, shared, calls, call, messages, window } = await readShare(share.token);
    expect(shared).toMatchObject({ redacted: false, timesShifted: true });
    const shift = shared.overview.startTime! - analysis.overview.startTime!;
    expect(Math.abs(shift - Math.round(shift))).toBeLessThan(1e-5);
    expect(shift).toBeLessThanOrEqual(-30 * DAY);
    expect(shift).toBeGreaterThanOrEqual(-400 * DAY);
    const moved = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round(a - b));
    expect(moved(shared.overview.endTime, analysis.overview.endTime)).toBe(Math.round(shift));
    expect(moved(calls.items[0]!.startTime, analysis.overview.startTime)).toBe(Math.round(shift));
    expect(messages.map((m, i) => moved(m.time, ownMessages[i]!.time))).toEqual(ownMessages.map(() => Math.round(shift)));
    expect(window.rows.map((r, i) => moved(r.time, ownMessages[i]!.time))).toEqual(ownMessages.map(() => Math.round(shift)));
    expect(call.messages.map((m) => m.time)).toEqual(messages.map((m) => m.time));
    // Intervals are the capture's.
    const gaps = (ts: (number | null)[]) => ts.slice(1).map((t, i) => Math.round((t! - ts[i]!) * 1e6));
    expect(gaps(messages.map((m) => m.time))).toEqual(gaps(ownMessages.map((m) => m.time)));
    // The Date header moved with them; the owner still sees the capture's.
    const date = new Date(Date.parse(DATE) + Math.round(shift) * 1000).toUTCString();
    expect(messages[0]!.headers.find((h) => h.name === "Date")?.value).toBe(date);
    expect(messages[0]!.raw).toContain(`Date: ${date}\r\n`);
    expect(ownMessages[0]!.raw).toContain(`Date: ${DATE}\r\n`);
    // A visitor asks in the link's clock: the window at the shifted time of message 2 starts there.
    const at = traceWindowSchema.parse((await visitor.get(`${base}/window?time=${messages[2]!.time}`)).json());
    expect(at.start).toBe(2);
    const inWindow = callListPageSchema.parse((await visitor.get(`${base}/calls?from=${messages[0]!.time! - 1}&to=${messages[0]!.time! + 1}`)).json());
    expect(inWindow.total).toBe(1);
    const capturedClock = callListPageSchema.parse(
      (await visitor.get(`${base}/calls?from=${ownMessages[0]!.time! - 1}&to=${ownMessages[0]!.time! + 1}`)).json(),
    );
    expect(capturedClock.total).toBe(0);
    // Another link, another offset.
    const other = shareCreatedSchema.parse((await owner.post(`/api/analyses/${analysis.id}/shares`, { shiftTimes: true })).json());
    const otherShared = sharedAnalysisSchema.parse((await visitor.get(`/api/shared/${other.token}`)).json());
    expect(otherShared.overview.startTime).not.toBe(shared.overview.startTime);
  });
});
