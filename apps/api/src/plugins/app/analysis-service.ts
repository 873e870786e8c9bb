import { hostname } from "node:os";
import fp from "fastify-plugin";
import { randomId } from "../../lib/ids.js";
import { createAnalysisService, type AnalysisService } from "../../services/analysis-service.js";

declare module "fastify" {
  interface FastifyInstance {
    analysisService: AnalysisService;
    /** Wakes this instance's job runner. */
    kickJobs: () => void;
  }
}

/**
 * The analysis service plus the job runner: every instance polls the shared job table (and is
 * woken at once when it queued a job itself), running at most ANALYSIS_WORKERS jobs at a time.
 */
export default fp(
  async (app) => {
    const instanceId = `${hostname()}:${process.pid}:${randomId().slice(0, 6)}`;
    let stopping = false;
    let running = 0;
    let ticking = false;

    const service = createAnalysisService({
      prisma: app.prisma,
      analyses: app.analyses,
      inputs: app.inputs,
      jobs: app.jobs,
      workers: app.workers,
      config: app.config,
      log: app.log,
      instanceId,
      kick: () => kick(),
      isStopping: () => stopping,
    });

    async function tick(): Promise<void> {
      if (ticking) return;
      ticking = true;
      try {
        while (!stopping && running < app.config.ANALYSIS_WORKERS) {
          const job = await app.jobs.claimNext(instanceId, app.config.JOB_LEASE_MS);
          if (!job) break;
          running++;
          app.log.info({ jobId: job.id, attempt: job.attempts }, "analysing job");
          service
            .runJob(job)
            .catch((err: unknown) => app.log.info({ jobId: job.id, err }, "job did not complete"))
            .finally(() => {
              running--;
              kick();
            });
        }
      } finally {
        ticking = false;
      }
    }
    function kick(): void {
      if (stopping) return;
      tick().catch((err: unknown) => app.log.warn({ err }, "job runner could not poll"));
    }

    app.decorate("analysisService", service);
    app.decorate("kickJobs", kick);

    const timer = setInterval(kick, app.config.JOB_POLL_MS);
    timer.unref();
    app.addHook("onReady", async () => kick());
    app.addHook("preClose", async () => {
      stopping = true;
      clearInterval(timer);
      await service.abortAll();
    });
  },
  { name: "analysis-service", dependencies: ["config", "db", "repositories", "analysis-workers"] },
);
