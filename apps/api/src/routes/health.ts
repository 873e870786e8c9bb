import { checkDatabase } from "@siplens/db";
import { healthSchema } from "@siplens/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { describeDatabaseProblem } from "../lib/database-errors.js";
import { apiVersion } from "../lib/version.js";

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/health",
    {
      schema: { tags: ["service"], summary: "Service and database status", response: { 200: healthSchema, 503: healthSchema } },
      config: { rateLimit: false },
    },
    async (_req, reply) => {
      // A second look on a fresh connection: one the database just dropped is not an outage.
      let db = await checkDatabase(app.prisma, 5_000);
      if (!db.ok) db = await checkDatabase(app.prisma, 5_000);
      if (db.ok) return reply.send({ status: "ok" as const, database: "ok" as const, version: apiVersion });
      app.log.warn({ error: db.error }, "health: database unavailable");
      return reply
        .code(503)
        .send({ status: "degraded" as const, database: "unavailable" as const, problem: describeDatabaseProblem(db.error), version: apiVersion });
    },
  );
};
export default routes;
