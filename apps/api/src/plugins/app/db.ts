import fp from "fastify-plugin";
import { createPrismaClient, type PrismaClient } from "@siplens/db";

declare module "fastify" {
  interface FastifyInstance {
    prisma: PrismaClient;
  }
}

/** One Prisma client per app instance (tests build many apps: no module-level singleton). */
export default fp(
  async (app) => {
    const prisma = createPrismaClient(app.config.DATABASE_URL, { maxConnections: 10 });
    app.decorate("prisma", prisma);
    // Open a first connection before serving, so the first request does not pay for it; a database
    // that is down is reported by /api/health and answered 503, not a start-up failure.
    app.addHook("onReady", async () => {
      await prisma.$queryRawUnsafe("SELECT 1").catch((err: unknown) => app.log.warn({ err }, "database not reachable at start-up"));
    });
    app.addHook("onClose", async () => {
      await prisma.$disconnect();
    });
  },
  { name: "db", dependencies: ["config"] },
);
