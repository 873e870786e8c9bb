import { analysisDetailSchema, callListPageSchema, messageDetailSchema, type ShareCreated } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, fixture, multipartBody, uniqueEmail, waitForJob } from "./helper.js";

const sngrep = fixture("S1a_caller_hangup_direct_udp.sngrep.txt").toString("utf8");
const CALL_ID = "1-17549@127.0.11.10";
/** The same Call-ID with a NUL in the middle, as captured. */
const NUL_CALL_ID = "1-17549\u0000@127.0.11.10";

interface OpenApiParameter {
  in: "path" | "query";
  name: string;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

interface Case {
  method: string;
  route: string;
  where: "params" | "querystring" | "body";
  field: string;
}

describe("control characters in requests and in traces", () => {
  let app: FastifyInstance;
  let owner: Browser;
  let analysisId: string;
  let share: ShareCreated;

  beforeAll(async () => {
    app = await buildApp();
    owner = new Browser(app);
    await owner.register(uniqueEmail("nul"));
    analysisId = analysisDetailSchema.parse((await owner.post("/api/analyses", { text: sngrep, title: "NUL routes" })).json()).id;
    share = (await owner.post(`/api/analyses/${analysisId}/shares`, {})).json<ShareCreated>();
  });
  afterAll(() => app.close());

  /** Every route of the OpenAPI document, each of its parameters and JSON body fields in turn. */
  function documentedCases(): Case[] {
    const doc = app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> };
    const cases: Case[] = [];
    for (const [route, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const p of op.parameters ?? []) cases.push({ method, route, where: p.in === "query" ? "querystring" : "params", field: p.name });
        for (const field of Object.keys(op.requestBody?.content["application/json"]?.schema?.properties ?? {}))
          cases.push({ method, route, where: "body", field });
      }
    }
    return cases;
  }

  /** A request that would succeed, with `field` set to `value`: the route's other inputs are real. */
  async function send(c: Case, value: string) {
    const real: Record<string, string> = { id: analysisId, jobId: "no-such-job", shareId: share.id, token: share.token, ordinal: "0", index: "0" };
    let url = c.route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(c.where === "params" && name === c.field ? value : real[name]!));
    if (c.where === "querystring") url += `?${c.field}=${encodeURIComponent(value)}`;
    if (url.startsWith("/api/analyses/upload")) {
      const { body, contentType } = await multipartBody(fixture("S1a_caller_hangup_direct_udp.pcap"), "trace.pcap");
      return owner.request("POST", url, { body, headers: { "content-type": contentType } });
    }
    const defaults: Record<string, Record<string, unknown>> = { "post /api/analyses": { text: sngrep }, "patch /api/analyses/{id}": { title: "renamed" } };
    const json =
      c.method === "get" || c.method === "delete" ? undefined : { ...defaults[`${c.method} ${c.route}`], ...(c.where === "body" ? { [c.field]: value } : {}) };
    return owner.request(c.method.toUpperCase(), url, json === undefined ? {} : { json });
  }

  it("answers 400 naming the field for a NUL in any parameter or body field of every documented route", async () => {
    const cases = documentedCases();
    // The document lists every route: the analyses, their parts, shares, shared parts, jobs, account, health.
    expect(new Set(cases.map((c) => `${c.method} ${c.route}`)).size).toBeGreaterThanOrEqual(19);
    const answers: string[] = [];
    for (const c of cases) {
      const res = await send(c, "a\u0000b");
      const body = res.json<{ error: string; message: string }>();
      answers.push(`${c.method} ${c.route} ${c.where}.${c.field}: ${res.statusCode} ${body.message}`);
      // A pasted trace is taken as it is (its NULs are stored safely, see below); "a\0b" is just not a trace.
      if (c.where === "body" && c.field === "text") {
        expect(res.statusCode).toBe(422);
        continue;
      }
      expect.soft(res.statusCode, `${c.method} ${c.route} ${c.where}.${c.field}: ${body.message}`).toBe(400);
      expect.soft(body.message, `${c.method} ${c.route}`).toContain(`${c.where}: ${c.field} `);
    }
    expect(answers.filter((a) => / 5\d\d /.test(a))).toEqual([]);
  });

  it("refuses other control characters in titles, ids and search terms, and allows line breaks in notes", async () => {
    const title = await owner.patch(`/api/analyses/${analysisId}`, { title: "bell\u0007" });
    expect(title.statusCode).toBe(400);
    expect(title.json<{ message: string }>().message).toBe("body: title must not contain control characters (U+0000–U+001F, U+007F–U+009F)");
    expect((await owner.patch(`/api/analyses/${analysisId}`, { note: "esc \u001b[31m" })).statusCode).toBe(400);
    expect((await owner.get(`/api/analyses/${analysisId}/calls?q=${encodeURIComponent("\u009b")}`)).statusCode).toBe(400);
    const note = await owner.patch(`/api/analyses/${analysisId}`, { note: "line one\r\nline two\tindented" });
    expect(note.statusCode).toBe(200);
    expect(note.json<{ note: string }>().note).toBe("line one\r\nline two\tindented");
  });

  it("answers 400 for a NUL in an upload's title or file name", async () => {
    const pcap = fixture("S1a_caller_hangup_direct_udp.pcap");
    const byTitle = await owner.upload("/api/analyses/upload?title=a%00b", pcap, "trace.pcap");
    expect(byTitle.statusCode).toBe(400);
    expect(byTitle.json<{ message: string }>().message).toMatch(/^querystring: title must not contain control characters/);
    const byName = await owner.upload("/api/analyses/upload", pcap, "tr\u0000ace.pcap");
    expect(byName.statusCode).toBe(400);
    expect(byName.json<{ message: string }>().message).toMatch(/^file name must not contain control characters/);
  });

  it("answers 400 naming the field for a NUL in better-auth's forms", async () => {
    const forms: Array<[string, Record<string, string>, string]> = [
      ["sign-up/email", { email: uniqueEmail("nul"), password: "a long pass phrase", name: "Ann\u0000" }, "body: name "],
      ["sign-up/email", { email: `a\u0000${uniqueEmail("nul")}`, password: "a long pass phrase", name: "Ann" }, "body: email "],
      ["sign-in/email", { email: uniqueEmail("nul"), password: "pass\u0000word" }, "body: password "],
    ];
    for (const [path, json, named] of forms) {
      const res = await new Browser(app).post(`/api/auth/${path}`, json);
      expect(res.statusCode, path).toBe(400);
      expect(res.json<{ message: string }>().message).toContain(named);
    }
    const query = await new Browser(app).get("/api/auth/get-session?x=%00");
    expect(query.statusCode).toBe(400);
    expect(query.json<{ message: string }>().message).toContain("querystring: x ");
  });

  it("stores a pasted trace whose Call-ID holds a NUL, and keeps the raw text as captured", async () => {
    const browser = new Browser(app);
    const res = await browser.post("/api/analyses", { text: sngrep.replaceAll(CALL_ID, NUL_CALL_ID) });
    expect(res.statusCode).toBe(201);
    const detail = analysisDetailSchema.parse(res.json());
    const calls = callListPageSchema.parse((await browser.get(`/api/analyses/${detail.id}/calls`)).json());
    // The call list reads the stored column: the NUL is shown as "␀"; the search finds it that way.
    expect(calls.items.map((c) => c.callId)).toEqual(["1-17549␀@127.0.11.10"]);
    expect(callListPageSchema.parse((await browser.get(`/api/analyses/${detail.id}/calls?q=17549%E2%90%80`)).json()).total).toBe(1);
    // The call detail and the message are the stored parts: byte for byte what was captured.
    expect((await browser.get(`/api/analyses/${detail.id}/calls/0`)).json<{ callId: string }>().callId).toBe(NUL_CALL_ID);
    const message = messageDetailSchema.parse((await browser.get(`/api/analyses/${detail.id}/messages/0`)).json());
    expect(message.raw).toContain(`Call-ID: ${NUL_CALL_ID}`);
  });

  it("stores an uploaded capture whose Call-ID holds a NUL (directly and as a background job)", async () => {
    // Same length, so every length field of the capture stays right.
    const capture = Buffer.from(fixture("S1a_caller_hangup_direct_udp.pcap").toString("latin1").replaceAll(CALL_ID, NUL_CALL_ID), "latin1");
    const direct = await new Browser(app).upload("/api/analyses/upload", capture, "nul-call-id.pcap");
    expect(direct.statusCode).toBe(201);
    expect(analysisDetailSchema.parse(direct.json()).callCount).toBe(1);

    const queued = await buildApp({ UPLOAD_WAIT_MS: "0" });
    try {
      const browser = new Browser(queued);
      const accepted = await browser.upload("/api/analyses/upload", capture, "nul-call-id.pcap");
      expect(accepted.statusCode).toBe(202);
      const { job } = await waitForJob(browser, accepted.json<{ job: { id: string } }>().job.id, 30_000);
      expect(job).toMatchObject({ status: "done" });
    } finally {
      await queued.close();
    }
  });
});
