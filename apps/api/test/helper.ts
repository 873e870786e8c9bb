import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { inject } from "vitest";
import { createApp } from "../src/app.js";
import { loadConfig, type AppConfig } from "../src/config/env.js";

export const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** A fresh app on the shared test database; close it in afterAll. Settings may be overridden. */
export async function buildApp(overrides: Record<string, string> = {}): Promise<FastifyInstance> {
  const config: AppConfig = loadConfig({
    DATABASE_URL: inject("databaseUrl"),
    LOG_LEVEL: "silent",
    JOB_POLL_MS: "200",
    // Uploads answer 201 when their analysis is done within this time; the 202 path has its own test.
    UPLOAD_WAIT_MS: "60000",
    AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    ...overrides,
  });
  return createApp(config, { logger: false });
}

/** A browser: keeps cookies between requests, like the web app does. */
export class Browser {
  cookies = new Map<string, string>();
  constructor(readonly app: FastifyInstance) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(
    method: string,
    url: string,
    options: { json?: unknown; headers?: Record<string, string>; body?: Buffer | string } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(this.cookies.size ? { cookie: this.cookieHeader } : {}), ...options.headers };
    const response = await this.app.inject({
      method: method as "GET",
      url,
      headers,
      ...(options.json !== undefined ? { payload: options.json as object } : options.body !== undefined ? { payload: options.body } : {}),
    });
    for (const c of ([] as string[]).concat(response.headers["set-cookie"] ?? [])) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get = (url: string) => this.request("GET", url);
  post = (url: string, json?: unknown) => this.request("POST", url, { json: json ?? {} });
  patch = (url: string, json: unknown) => this.request("PATCH", url, { json });
  delete = (url: string) => this.request("DELETE", url);

  async upload(url: string, file: Buffer, filename: string): Promise<LightMyRequestResponse> {
    const { body, contentType } = await multipartBody(file, filename);
    return this.request("POST", url, { body, headers: { "content-type": contentType } });
  }

  async signUp(email: string, password = "correct horse battery", name = "Test User") {
    return this.post("/api/auth/sign-up/email", { email, password, name });
  }
  async signIn(email: string, password = "correct horse battery") {
    return this.post("/api/auth/sign-in/email", { email, password });
  }
  /** Sign up then sign in (sign-up deliberately does not sign in: no account enumeration). */
  async register(email: string, password?: string) {
    await this.signUp(email, password);
    const res = await this.signIn(email, password);
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    return res;
  }
}

export async function multipartBody(file: Buffer, filename: string, field = "file") {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(file)]), filename);
  const request = new Request("http://localhost/", { method: "POST", body: form });
  return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get("content-type")! };
}

export const uniqueEmail = (tag: string) => `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.test`;

/** Polls a job until it settles. */
export async function waitForJob(browser: Browser, jobId: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await browser.get(`/api/jobs/${jobId}`);
    const job = res.json<{ status: string; analysisId?: string }>();
    if (job.status === "done" || job.status === "failed" || Date.now() > until) return { res, job };
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until `check` holds (polling), failing after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 40_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A log destination that keeps every line (pino writes one JSON line per write). */
export function logCapture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { stream, lines };
}
