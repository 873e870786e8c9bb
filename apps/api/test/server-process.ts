import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import { fileURLToPath } from "node:url";
import { freePort } from "@siplens/db/testing";

/** The built server, as `npm start` runs it. */
const serverJs = fileURLToPath(new URL("../dist/server.js", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The response arrived whole: its end was read and its length matches Content-Length. */
  complete: boolean;
  /** A transport error before the answer was whole (a cut connection). */
  error: string | null;
  setCookie: string[];
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  log: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the built server on a free port against `databaseUrl` and waits until /api/health answers. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  if (!existsSync(serverJs)) throw new Error(`${serverJs} is missing: build the API first (pnpm turbo run build)`);
  const port = await freePort();
  const log: string[] = [];
  const child = spawn(process.execPath, [serverJs], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      AUTH_SECRET: "process-secret-process-secret-01234567",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => log.push(d.toString("utf8")));
  child.stderr?.on("data", (d: Buffer) => log.push(d.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  for (let i = 0; ; i++) {
    const up = await get(port, "/api/health").then(
      (a) => a.status === 200,
      () => false,
    );
    if (up) return { child, port, log, exited };
    if (child.exitCode !== null || i > 600) throw new Error(`the server did not start:\n${log.join("")}`);
    await sleep(100);
  }
}

/** Collects a response; `settle` gets it once whole, or with the transport error that cut it. */
export function answerOf(res: IncomingMessage, settle: (a: Answer) => void): void {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("error", (e) =>
    settle({
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      complete: false,
      error: e.message,
      setCookie: [],
    }),
  );
  res.on("end", () => {
    const body = Buffer.concat(chunks);
    const length = res.headers["content-length"];
    settle({
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: body.toString("utf8"),
      complete: res.complete && (length === undefined || Number(length) === body.length),
      error: null,
      setCookie: ([] as string[]).concat(res.headers["set-cookie"] ?? []),
    });
  });
}

export function get(port: number, path: string, cookie = ""): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: cookie ? { cookie } : {} }, (res) => answerOf(res, resolve));
    req.on("error", reject);
    req.end();
  });
}

export const cookieOf = (a: Answer) => a.setCookie.map((c) => c.split(";")[0]).join("; ");
