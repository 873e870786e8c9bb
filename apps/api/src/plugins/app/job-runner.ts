import fp from "fastify-plugin";
import { createJobRunner, type JobRunner } from "../../services/job-runner.js";

declare module "fastify" {
  interface FastifyInstance {
    jobRunner: JobRunner;
  }
}

/** The instance's job runner: it takes jobs once the app is ready and hands its own back before the app closes. */
export default fp(
  async (app) => {
    const runner = createJobRunner({
      prisma: app.prisma,
      analyses: app.analyses,
      inputs: app.inputs,
      jobs: app.jobs,
      workers: app.workers,
      config: app.config,
      log: app.log,
      heavyWork: app.heavyWork,
    });
    app.decorate("jobRunner", runner);
    app.addHook("onReady", async () => runner.start());
    app.addHook("preClose", async () => runner.stop());
  },
  { name: "job-runner", dependencies: ["config", "db", "repositories", "analysis-workers", "heavy-work"] },
);
