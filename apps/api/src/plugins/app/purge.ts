import fp from "fastify-plugin";

/**
 * Periodic housekeeping on every instance (idempotent, so several instances may overlap):
 * expired anonymous analyses, stored input nobody will use, and old or abandoned jobs.
 */
export default fp(
  async (app) => {
    async function purge(): Promise<void> {
      const now = new Date();
      const analyses = await app.analyses.purgeExpired(now);
      const orphans = await app.inputs.purgeOrphans(new Date(now.getTime() - 24 * 3600 * 1000));
      await app.jobs.tidy(now);
      if (analyses || orphans) app.log.info({ analyses, orphanInputPieces: orphans }, "purged expired data");
    }
    app.decorate("purgeExpired", purge);
    const timer = setInterval(() => void purge().catch((err: unknown) => app.log.warn({ err }, "purge failed")), app.config.PURGE_INTERVAL_MS);
    timer.unref();
    app.addHook("onClose", async () => clearInterval(timer));
  },
  { name: "purge", dependencies: ["repositories"] },
);

declare module "fastify" {
  interface FastifyInstance {
    purgeExpired: () => Promise<void>;
  }
}
