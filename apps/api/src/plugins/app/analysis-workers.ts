import fp from "fastify-plugin";
import { AnalysisWorkerPool } from "../../workers/pool.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Two pools, so pastes never queue behind big uploads. */
    workers: { paste: AnalysisWorkerPool; bulk: AnalysisWorkerPool };
  }
}

export default fp(
  async (app) => {
    const { ANALYSIS_TIMEOUT_MS: timeoutMs, ANALYSIS_MAX_HEAP_MB: maxHeapMb, DATABASE_URL: databaseUrl } = app.config;
    const workers = {
      paste: new AnalysisWorkerPool({ size: app.config.PASTE_WORKERS, timeoutMs, maxHeapMb, databaseUrl }),
      bulk: new AnalysisWorkerPool({ size: app.config.ANALYSIS_WORKERS, timeoutMs, maxHeapMb, databaseUrl }),
    };
    app.decorate("workers", workers);
    app.addHook("onReady", async () => {
      workers.paste.warm().catch((err: unknown) => app.log.warn({ err }, "could not start an analysis worker"));
    });
    app.addHook("onClose", async () => {
      await Promise.all([workers.paste.close(), workers.bulk.close()]);
    });
  },
  { name: "analysis-workers", dependencies: ["config"] },
);
