import type { FastifyInstance } from "fastify";

/** Limit on creating analyses: per account when signed in, else per IP (on top of the global per-IP limit). */
export function perAccountLimit(app: FastifyInstance) {
  return app.rateLimit({
    max: app.config.RATE_LIMIT_ANALYSES_MAX,
    timeWindow: app.config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: async (req) => {
      const user = await req.currentUser();
      return user ? `user:${user.id}` : `ip:${req.ip}`;
    },
  });
}
