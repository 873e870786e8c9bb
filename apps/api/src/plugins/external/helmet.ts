import fp from "fastify-plugin";
import fastifyHelmet from "@fastify/helmet";

/**
 * Strict security headers. The web app is built by Vite into same-origin files: no inline scripts,
 * no third-party origins. React applies style props through the CSSOM, which CSP does not restrict.
 */
const contentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:", "blob:"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    workerSrc: ["'self'", "blob:"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

export default fp(
  async (app) => {
    await app.register(fastifyHelmet, {
      contentSecurityPolicy,
      // Swagger UI at /api/docs adds hashes for its own inline bits (staticCSP).
      enableCSPNonces: false,
      crossOriginEmbedderPolicy: false,
    });
  },
  { name: "helmet" },
);
