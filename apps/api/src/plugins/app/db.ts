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
    app.addHook("onClose", async () => {
      await prisma.$disconnect();
    });
  },
  { name: "db", dependencies: ["config"] },
);
