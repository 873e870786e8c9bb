import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { MAX_PASTE_CHARS, type ErrorCode } from "@siplens/contracts";
import type { AppConfig } from "./config/env.js";
import { databaseUnavailable, HttpError } from "./errors.js";
import { isDatabaseUnavailable } from "./lib/database-errors.js";
import { closeAfterEarlyAnswer } from "./lib/linger-close.js";
import { logSerializers } from "./lib/log-serializers.js";
import compress from "./plugins/external/compress.js";
import cookie from "./plugins/external/cookie.js";
import helmet from "./plugins/external/helmet.js";
import multipart from "./plugins/external/multipart.js";
import rateLimit from "./plugins/external/rate-limit.js";
import staticFiles from "./plugins/external/static.js";
import swagger from "./plugins/external/swagger.js";
import configPlugin from "./plugins/app/config.js";
import db from "./plugins/app/db.js";
import repositories from "./plugins/app/repositories.js";
import analysisWorkers from "./plugins/app/analysis-workers.js";
import jobRunner from "./plugins/app/job-runner.js";
import shareService from "./plugins/app/share-service.js";
import auth from "./plugins/app/auth.js";
import purge from "./plugins/app/purge.js";
import retryReads from "./plugins/app/retry-reads.js";
import sameOrigin from "./plugins/app/same-origin.js";
import shutdown from "./plugins/app/shutdown.js";
import heavyWork from "./plugins/app/heavy-work.js";
import analysesRoutes from "./routes/analyses/index.js";
import uploadRoutes from "./routes/analyses/upload.js";
import authRoutes from "./routes/auth.js";
import healthRoutes from "./routes/health.js";
import jobsRoutes from "./routes/jobs.js";
import meRoutes from "./routes/me.js";
import partsRoutes from "./routes/parts.js";
import sharesRoutes from "./routes/shares.js";

interface BuildAppOptions {
  config: AppConfig;
}

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  408: "request-timeout",
  413: "payload-too-large",
  415: "unsupported-media-type",
  429: "rate-limited",
};

/**
 * The siplens service as a Fastify plugin: third-party plugins, then our services and
 * repositories, then routes. server.ts (and the tests) register it on a Fastify instance.
 */
async function buildApp(app: FastifyInstance, { config }: BuildAppOptions): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(configPlugin, { config });
  // Third-party plugins.
  await app.register(helmet);
  await app.register(rateLimit);
  await app.register(compress);
  await app.register(cookie);
  await app.register(multipart);
  await app.register(swagger);
  await app.register(staticFiles);
  // Our services, decorated onto the instance.
  await app.register(shutdown);
  await app.register(heavyWork);
  await app.register(db);
  await app.register(repositories);
  await app.register(analysisWorkers);
  await app.register(jobRunner);
  await app.register(shareService);
  await app.register(auth);
  await app.register(purge);
  await app.register(sameOrigin);
  await app.register(retryReads);
  app.setErrorHandler((error: FastifyError, req, reply) => {
    // An upload refused mid-body: its answer must reach the client whole (see closeAfterEarlyAnswer).
    if (req.raw.complete === false) reply.raw.once("finish", () => closeAfterEarlyAnswer(req.raw));
    if (error instanceof HttpError ? error.code === "database-unavailable" : isDatabaseUnavailable(error)) {
      req.log.error({ err: error }, "database unavailable");
      const unavailable = databaseUnavailable();
      return reply.code(503).header("retry-after", "5").send({ error: unavailable.code, message: unavailable.message });
    }
    if (error instanceof HttpError) {
      // A 503 "unavailable" is a planned answer (shutting down, busy) whose message is meant for the client.
      const planned = error.statusCode < 500 || error.code === "unavailable";
      if (!planned) req.log.error({ err: error }, error.message);
      if (error.retryAfterSeconds) reply.header("retry-after", String(error.retryAfterSeconds));
      const message = planned ? error.message : "the server could not complete the request";
      return reply.code(error.statusCode).send({ error: error.code, message, ...error.extra });
    }
    if (
      hasZodFastifySchemaValidationErrors(error) &&
      error.validationContext === "body" &&
      error.validation.some((v) => v.instancePath === "/text" && v.keyword === "too_big")
    ) {
      return reply
        .code(413)
        .send({ error: "payload-too-large", message: `the pasted text is longer than ${MAX_PASTE_CHARS} characters: upload it as a file instead` });
    }
    if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
      const where = error.validationContext ? `${error.validationContext}: ` : "";
      const details = hasZodFastifySchemaValidationErrors(error)
        ? error.validation.map((v) => `${v.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(root)"} ${v.message}`).join("; ")
        : error.message;
      return reply.code(400).send({ error: "bad-request", message: `${where}${details}` });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: CODE_BY_STATUS[status] ?? "bad-request", message: error.message });
    }
    req.log.error({ err: error }, "unhandled error");
    return reply.code(500).send({ error: "internal", message: "the server could not complete the request" });
  });

  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (req, reply) => {
    const path = req.url.split("?")[0] ?? "/";
    // A missing file (/assets/old-hash.js) is a 404, not the app shell.
    const looksLikeFile = /\.[A-Za-z0-9]{1,8}$/.test(path);
    if (!path.startsWith("/api") && !looksLikeFile && app.servesWeb && (req.method === "GET" || req.method === "HEAD")) {
      // Client-side routes (/a/:id, /s/:token, …) all start from index.html.
      return reply.header("cache-control", "no-cache").sendFile("index.html");
    }
    return reply.code(404).send({ error: "not-found", message: `no route ${req.method} ${path}` });
  });

  // Routes (registered after the handlers above, which they inherit).
  for (const routes of [healthRoutes, meRoutes, authRoutes, analysesRoutes, uploadRoutes, jobsRoutes, sharesRoutes, partsRoutes]) await app.register(routes);
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/** A Fastify instance with the app registered, ready for inject() or listen(). */
export async function createApp(config: AppConfig, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL, serializers: logSerializers },
    // A hop count trusts that many proxies nearest to us, never the client's own X-Forwarded-For.
    trustProxy: typeof config.TRUST_PROXY === "number" ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
    // Bodies are capped per route (paste: a few MB; uploads stream through multipart).
    bodyLimit: 64 * 1024,
    // Start-up opens the database and the worker pool; on a busy machine that exceeds Fastify's 10 s default.
    pluginTimeout: 120_000,
    ...options,
  }).withTypeProvider<ZodTypeProvider>();
  await app.register(fp(buildApp), { config });
  await app.ready();
  return app;
}
