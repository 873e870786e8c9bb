import type { FastifyInstance, FastifyReply } from "fastify";
import { retryTransient } from "../../lib/database-errors.js";
import type { Actor } from "../../repositories/actor.js";
import type { Submitted } from "../../services/job-runner.js";

/** 201 with the stored analysis, or 202 with the job still running. */
export async function respondSubmitted(app: FastifyInstance, reply: FastifyReply, submitted: Submitted, actor: Actor) {
  if (submitted.kind === "job") return reply.code(202).send({ job: submitted.job });
  // The analysis is stored: a dropped connection must not turn that into an error for the client.
  const json = await retryTransient(() => app.analyses.detailJson(submitted.analysisId, actor));
  reply.header("location", `/api/analyses/${submitted.analysisId}`);
  return reply.code(201).type("application/json").send(json);
}
