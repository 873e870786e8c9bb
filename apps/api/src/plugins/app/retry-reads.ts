import fp from "fastify-plugin";
import type { RouteHandlerMethod } from "fastify";
import { retryTransient } from "../../lib/database-errors.js";

/**
 * Every GET route registered after this runs again when the database drops a connection or is
 * briefly unavailable (bounded: 5 tries over ~2.5 s), so a client is not told "failed" or "no
 * such job" for a read that a moment later succeeds. Reads are safe to repeat; writes retry
 * where they know they can (the commit, job creation).
 */
export default fp(
  async (app) => {
    app.addHook("onRoute", (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.every((m) => m === "GET" || m === "HEAD")) return;
      const handler = route.handler as (...args: Parameters<RouteHandlerMethod>) => unknown;
      route.handler = function retryingRead(req, reply) {
        return retryTransient(async () => handler.call(this, req, reply), {
          attempts: 5,
          canRetry: () => !reply.sent,
          onRetry: (err, attempt) => req.log.warn({ err, attempt }, "database read failed; trying again"),
        });
      };
    });
  },
  { name: "retry-reads" },
);
