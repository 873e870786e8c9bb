import { checkDatabase } from "@siplens/db";
import { healthSchema } from "@siplens/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { apiVersion } from "../lib/version.js";

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/health",
    {
      schema: { tags: ["service"], summary: "Service and database status", response: { 200: healthSchema, 503: healthSchema } },
      config: { rateLimit: false },
    },
    async (_req, reply) => {
      const db = await checkDatabase(app.prisma, 5_000);
      const body = { status: db.ok ? ("ok" as const) : ("degraded" as const), database: db.ok ? ("ok" as const) : ("unavailable" as const), version: apiVersion };
      return reply.code(db.ok ? 200 : 503).send(body);
    },
  );
};
export default routes;
