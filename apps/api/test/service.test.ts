import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { healthSchema, MAX_UPLOAD_BYTES } from "@siplens/contracts";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/env.js";
import { hideTokens } from "../src/lib/log-serializers.js";
import { Browser, buildApp } from "./helper.js";

describe("service: health, docs, web app, headers", () => {
  let app: FastifyInstance;
  let webDist: string;
  beforeAll(async () => {
    webDist = mkdtempSync(path.join(tmpdir(), "siplens-web-"));
    writeFileSync(path.join(webDist, "index.html"), "<!doctype html><title>siplens</title><div id=root></div>");
    mkdirSync(path.join(webDist, "assets"));
    writeFileSync(path.join(webDist, "assets", "app-1234.js"), "console.log('hi')");
    writeFileSync(path.join(webDist, "assets", "late-cancel-ab12.pcap"), Buffer.from([0xd4, 0xc3, 0xb2, 0xa1]));
    app = await buildApp({ WEB_DIST: webDist });
  });
  afterAll(() => app.close());

  it("reports health with the database status", async () => {
    const res = await app.inject({ method: "GET", url: "/api/health" });
    expect(res.statusCode).toBe(200);
    expect(healthSchema.parse(res.json())).toMatchObject({ status: "ok", database: "ok" });
  });

  it("serves the OpenAPI document and browsable docs at /api/docs", async () => {
    type Operation = { tags?: string[]; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } } | undefined> } };
    const spec = (await app.inject({ method: "GET", url: "/api/docs/json" })).json<{
      openapi: string;
      paths: Record<string, Record<string, Operation> | undefined>;
    }>();
    expect(spec.openapi).toMatch(/^3\./);
    for (const p of [
      "/api/analyses",
      "/api/analyses/{id}",
      "/api/analyses/upload",
      "/api/jobs/{jobId}",
      "/api/analyses/{id}/shares",
      "/api/shares/{shareId}",
      "/api/shared/{token}",
      "/api/me",
      "/api/health",
    ]) {
      expect(Object.keys(spec.paths)).toContain(p);
    }
    for (const [, methods] of Object.entries(spec.paths)) {
      for (const op of Object.values(methods ?? {})) expect(op.tags?.length).toBeGreaterThan(0);
    }
    expect(spec.paths["/api/analyses"]?.post?.requestBody?.content["application/json"]?.schema.properties.text).toBeDefined();
    const ui = await app.inject({ method: "GET", url: "/api/docs" });
    const page = ui.statusCode === 302 ? await app.inject({ method: "GET", url: ui.headers.location as string }) : ui;
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/swagger/i);
  });

  it("serves the built web app with SPA fallback and strict headers", async () => {
    // The public finding guide, including codes that look nothing like file names ("487-without-cancel").
    for (const url of ["/", "/a/abc123", "/s/sometoken", "/saved", "/guide", "/guide/487-without-cancel", "/guide/no-such-code"]) {
      const res = await app.inject({ method: "GET", url });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect(res.body).toContain("<div id=root>");
    }
    const asset = await app.inject({ method: "GET", url: "/assets/app-1234.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toContain("immutable");
    // the guide's example captures are fingerprinted assets too, fetched as bytes
    const capture = await app.inject({ method: "GET", url: "/assets/late-cancel-ab12.pcap" });
    expect(capture.statusCode).toBe(200);
    expect([...capture.rawPayload]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect((await app.inject({ method: "GET", url: "/assets/gone-0000.js" })).statusCode).toBe(404);
    const api404 = await app.inject({ method: "GET", url: "/api/nothing-here" });
    expect(api404.statusCode).toBe(404);
    expect(api404.json()).toEqual({ error: "not-found", message: "no route GET /api/nothing-here" });

    const csp = String((await app.inject({ method: "GET", url: "/" })).headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const headers = (await app.inject({ method: "GET", url: "/api/health" })).headers;
    expect(headers["x-content-type-options"]).toBe("nosniff");
  });

  it("answers 503 when the database is unavailable, and health says so", async () => {
    const down = await buildApp({ DATABASE_URL: "postgresql://postgres@127.0.0.1:9/siplens_nowhere" });
    try {
      const health = await down.inject({ method: "GET", url: "/api/health" });
      expect(health.statusCode).toBe(503);
      expect(healthSchema.parse(health.json())).toMatchObject({ status: "degraded", database: "unavailable" });
      const b = new Browser(down);
      const open = await b.get("/api/analyses/someid");
      expect(open.statusCode).toBe(503);
      expect(open.json()).toEqual({ error: "database-unavailable", message: "the database is unavailable; try again shortly" });
      expect((await b.get("/api/shared/sometoken")).statusCode).toBe(503);
    } finally {
      await down.close();
    }
  });

  it("validates the environment once, naming each bad variable", () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: "postgres://x", PORT: "http", AUTH_SECRET: "short" })).toThrow(/PORT[\s\S]*AUTH_SECRET|AUTH_SECRET[\s\S]*PORT/);
    expect(loadConfig({ DATABASE_URL: "postgres://x" })).toMatchObject({ PORT: 3000, UPLOAD_MAX_BYTES: MAX_UPLOAD_BYTES });
  });

  it("trusts only the proxies it is told about, never any X-Forwarded-For", () => {
    const url = { DATABASE_URL: "postgres://x" };
    expect(() => loadConfig({ ...url, TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY/);
    expect(loadConfig(url).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...url, TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ ...url, TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" }).TRUST_PROXY).toEqual(["10.0.0.0/8", "127.0.0.1"]);
  });

  it("keeps share tokens out of request logs", () => {
    expect(hideTokens("/api/shared/AbC123_-xyz?x=1")).toBe("/api/shared/[token]?x=1");
    expect(hideTokens("/s/AbC123_-xyz")).toBe("/s/[token]");
    expect(hideTokens("/api/analyses/abc")).toBe("/api/analyses/abc");
  });
});
