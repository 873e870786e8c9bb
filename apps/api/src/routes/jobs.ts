import { errorBodySchema, jobParamsSchema, jobStatusSchema } from "@siplens/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { notFound } from "../errors.js";
import { toJobStatus } from "../repositories/jobs.js";

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/jobs/:jobId",
    {
      schema: {
        tags: ["jobs"],
        summary: "Progress of a background analysis",
        params: jobParamsSchema,
        response: { 200: jobStatusSchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema },
      },
    },
    async (req) => {
      const job = await app.jobs.find(req.params.jobId, await req.actor());
      if (!job) throw notFound("job");
      return toJobStatus(job);
    },
  );
};
export default routes;
