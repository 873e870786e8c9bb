import { z } from "zod";
import {
  analysisDetailSchema,
  analysisListSchema,
  analysisParamsSchema,
  analysisSummarySchema,
  createPasteBodySchema,
  errorBodySchema,
  jobAcceptedSchema,
  listAnalysesQuerySchema,
  MAX_PASTE_CHARS,
  updateAnalysisBodySchema,
} from "@siplens/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { FastifyRequest } from "fastify";
import { badRequest, HttpError, notFound, unauthorized } from "../../errors.js";
import { decodeCursor } from "../../lib/cursor.js";
import { perAccountLimit } from "./per-account-limit.js";
import { respondSubmitted } from "./respond.js";

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema };

/** JSON body limit: the paste plus a little envelope (JSON escaping of CR LF). */
const PASTE_BODY_LIMIT = Math.ceil(MAX_PASTE_CHARS * 1.2) + 4096;

/** Pastes travel as JSON; a file goes to /upload. (Fastify would otherwise accept text/plain.) */
async function requireJson(req: FastifyRequest) {
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    throw new HttpError(415, "unsupported-media-type", "send JSON { text, title? }, or upload the file as multipart/form-data to /api/analyses/upload");
  }
}

const routes: FastifyPluginAsyncZod = async (app) => {
  const perAccount = perAccountLimit(app);

  app.post(
    "/api/analyses",
    {
      bodyLimit: PASTE_BODY_LIMIT,
      config: { rateLimit: perAccount },
      preValidation: requireJson,
      schema: {
        tags: ["analyses"],
        summary: "Analyse pasted text",
        description: "Small pastes answer 201 with the analysis; large ones 202 with a job to poll.",
        body: createPasteBodySchema,
        response: { 201: analysisDetailSchema, 202: jobAcceptedSchema, 413: errorBodySchema, 415: errorBodySchema, 422: errorBodySchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = await req.actorForCreate(reply);
      const submitted = await app.jobRunner.analysePaste(req.body.text, req.body.title, actor);
      return respondSubmitted(app, reply, submitted, actor);
    },
  );

  app.get(
    "/api/analyses",
    {
      schema: {
        tags: ["analyses"],
        summary: "The signed-in user's analyses, newest first",
        querystring: listAnalysesQuerySchema,
        response: { 200: analysisListSchema, ...errors },
      },
    },
    async (req) => {
      const user = await req.currentUser();
      if (!user) throw unauthorized("sign in to see saved analyses");
      const cursor = req.query.cursor ? decodeCursor(req.query.cursor) : null;
      if (req.query.cursor && !cursor) throw badRequest("invalid cursor");
      return app.analyses.list(user.id, { cursor, limit: req.query.limit, title: req.query.q, finding: req.query.finding });
    },
  );

  app.get(
    "/api/analyses/:id",
    {
      schema: {
        tags: ["analyses"],
        summary: "Open an analysis: metadata and overview (calls, messages and findings are read in parts)",
        params: analysisParamsSchema,
        response: { 200: analysisDetailSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = await req.actor();
      const access = await app.analyses.access(req.params.id, actor);
      if (!access) throw notFound();
      await app.jobRunner.ensureParts(access);
      const json = await app.analyses.detailJson(req.params.id, actor);
      if (!json) throw notFound();
      // Spliced JSON text: the stored overview is sent without parsing it.
      return reply.type("application/json").send(json as never);
    },
  );

  app.patch(
    "/api/analyses/:id",
    {
      schema: {
        tags: ["analyses"],
        summary: "Rename or annotate",
        params: analysisParamsSchema,
        body: updateAnalysisBodySchema,
        response: { 200: analysisSummarySchema, 403: errorBodySchema, ...errors },
      },
    },
    async (req) => {
      const updated = await app.analyses.update(req.params.id, await req.actor(), req.body);
      if (!updated) throw notFound();
      return updated;
    },
  );

  app.delete(
    "/api/analyses/:id",
    { schema: { tags: ["analyses"], summary: "Delete for good", params: analysisParamsSchema, response: { 204: z.null(), 403: errorBodySchema, ...errors } } },
    async (req, reply) => {
      if (!(await app.analyses.remove(req.params.id, await req.actor()))) throw notFound();
      return reply.code(204).send(null);
    },
  );
};
export default routes;
