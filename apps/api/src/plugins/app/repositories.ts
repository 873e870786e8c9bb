import fp from "fastify-plugin";
import { createAnalysesRepository, type AnalysesRepository } from "../../repositories/analyses.js";
import { createInputsRepository, type InputsRepository } from "../../repositories/inputs.js";
import { createJobsRepository, type JobsRepository } from "../../repositories/jobs.js";
import { createPartsRepository, type PartsRepository } from "../../repositories/parts.js";
import { createSharesRepository, type SharesRepository } from "../../repositories/shares.js";

declare module "fastify" {
  interface FastifyInstance {
    analyses: AnalysesRepository;
    parts: PartsRepository;
    inputs: InputsRepository;
    jobs: JobsRepository;
    shares: SharesRepository;
  }
}

/**
 * Every repository on the instance's Prisma client. The factories themselves know nothing of
 * Fastify: the analysis worker thread builds them on its own client (workers/commit.ts).
 */
export default fp(
  async (app) => {
    app.decorate("analyses", createAnalysesRepository(app.prisma));
    app.decorate("parts", createPartsRepository(app.prisma));
    app.decorate("inputs", createInputsRepository(app.prisma));
    app.decorate("jobs", createJobsRepository(app.prisma));
    app.decorate("shares", createSharesRepository(app.prisma));
  },
  { name: "repositories", dependencies: ["db"] },
);
