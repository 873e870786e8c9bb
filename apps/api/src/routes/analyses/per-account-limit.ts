import type { FastifyInstance, FastifyRequest } from "fastify";

/**
 * Route rate limit for creating analyses, in place of the global per-IP one: per account when
 * signed in (so an office behind one NAT is not one bucket), else per IP.
 */
export function perAccountLimit(app: FastifyInstance) {
  return {
    max: app.config.RATE_LIMIT_ANALYSES_MAX,
    timeWindow: app.config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: async (req: FastifyRequest) => {
      const user = await req.currentUser();
      return user ? `user:${user.id}` : `ip:${req.ip}`;
    },
  };
}
