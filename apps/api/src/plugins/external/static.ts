import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fp from "fastify-plugin";
import fastifyStatic from "@fastify/static";

/** apps/web/dist, seen from apps/api/src or apps/api/dist. */
const defaultWebDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../web/dist");

declare module "fastify" {
  interface FastifyInstance {
    /** True when the built web app is served (the not-found handler then falls back to index.html). */
    servesWeb: boolean;
  }
}

/** Serves the built web app in production; API only when it has not been built. */
export default fp(
  async (app) => {
    const root = path.resolve(app.config.WEB_DIST ?? defaultWebDist);
    const available = existsSync(path.join(root, "index.html"));
    app.decorate("servesWeb", available);
    if (!available) {
      app.log.info({ root }, "no built web app: serving the API only");
      return;
    }
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      // Vite fingerprints assets, so they may be cached for good; index.html never.
      setHeaders: (reply, file) => {
        reply.header("cache-control", file.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
  },
  { name: "static", dependencies: ["config"] },
);
