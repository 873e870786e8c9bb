import fp from "fastify-plugin";
import fastifyRateLimit from "@fastify/rate-limit";

/**
 * Per-IP limit on every route (errors in our JSON shape). Routes add stricter limits:
 * per account (or IP) on analysis creation, and a tight one on auth.
 */
export default fp(
  async (app) => {
    await app.register(fastifyRateLimit, {
      global: true,
      max: app.config.RATE_LIMIT_MAX,
      timeWindow: app.config.RATE_LIMIT_WINDOW_MS,
      errorResponseBuilder: (_req, context) => ({
        statusCode: 429,
        error: "rate-limited",
        message: `too many requests: try again in ${context.after}`,
      }),
    });
  },
  { name: "rate-limit", dependencies: ["config"] },
);
