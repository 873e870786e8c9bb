import fp from "fastify-plugin";
import { AnalysisWorkerPool } from "../../workers/pool.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Two pools, so pastes never queue behind big uploads. */
    workers: { paste: AnalysisWorkerPool; bulk: AnalysisWorkerPool };
  }
}

/** Nice value of the bulk analysis threads: at 10 a thread weighs 110 against 1024 at 0 in the kernel scheduler. */
const BULK_NICENESS = 10;

export default fp(
  async (app) => {
    const { ANALYSIS_TIMEOUT_MS: timeoutMs, ANALYSIS_MAX_HEAP_MB: maxHeapMb, DATABASE_URL: databaseUrl } = app.config;
    const workers = {
      paste: new AnalysisWorkerPool({ size: app.config.PASTE_WORKERS, timeoutMs, maxHeapMb, databaseUrl }),
      // Uploads and background jobs take seconds to minutes: they yield the CPU to the event loop,
      // pastes and the database, so small requests are not queued behind them on a busy machine.
      bulk: new AnalysisWorkerPool({ size: app.config.ANALYSIS_WORKERS, timeoutMs, maxHeapMb, databaseUrl, niceness: BULK_NICENESS }),
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
