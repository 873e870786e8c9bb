import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, buildApp, fixture, multipartBody } from "./helper.js";

describe("malformed multipart uploads", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp();
  });
  afterAll(() => app.close());

  const upload = (body: Buffer | string, contentType: string) =>
    new Browser(app).request("POST", "/api/analyses/upload", { body, headers: { "content-type": contentType } });

  it("answers 400 saying what is wrong for a missing or wrong boundary, a cut body and a body that is not multipart", async () => {
    const { body, contentType } = await multipartBody(fixture("S1a_caller_hangup_direct_udp.pcap"), "trace.pcap");
    const cases: Array<[string, Buffer | string, string, string]> = [
      ["no boundary", body, "multipart/form-data", "Multipart: Boundary not found"],
      ["wrong boundary", body, "multipart/form-data; boundary=not-the-one", "Unexpected end of multipart data"],
      ["cut body", body.subarray(0, Math.floor(body.length / 2)), contentType, "Unexpected end of multipart data"],
      ["not multipart", "hello", contentType, "Unexpected end of multipart data"],
    ];
    for (const [what, payload, type, reason] of cases) {
      const res = await upload(payload, type);
      expect(res.statusCode, what).toBe(400);
      expect(res.json(), what).toEqual({
        error: "bad-request",
        message: `the upload is not valid multipart/form-data (${reason}): send the file as multipart/form-data, field "file"`,
      });
    }
  });
});
