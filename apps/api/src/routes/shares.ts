import { z } from "zod";
import {
  analysisParamsSchema,
  createShareBodySchema,
  errorBodySchema,
  shareCreatedSchema,
  shareListSchema,
  shareParamsSchema,
  sharedAnalysisSchema,
  sharedTokenParamsSchema,
} from "@siplens/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { notFound } from "../errors.js";
import { perAccountLimit } from "./analyses/per-account-limit.js";

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema };

const routes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/api/analyses/:id/shares",
    {
      config: { rateLimit: perAccountLimit(app) },
      schema: {
        tags: ["shares"],
        summary: "Create a read-only link (the analysis's parts, optional focus, expiry, redaction, shifted times)",
        params: analysisParamsSchema,
        body: createShareBodySchema,
        response: { 201: shareCreatedSchema, ...errors },
      },
    },
    async (req, reply) => {
      const created = await app.shareService.create(req.params.id, await req.actor(), req.body);
      return reply.code(201).send(created);
    },
  );

  app.get(
    "/api/analyses/:id/shares",
    { schema: { tags: ["shares"], summary: "Links made for an analysis", params: analysisParamsSchema, response: { 200: shareListSchema, ...errors } } },
    async (req) => {
      const analysis = await app.analyses.summary(req.params.id, await req.actor());
      if (!analysis) throw notFound();
      return { items: await app.shares.list(analysis.id) };
    },
  );

  app.delete(
    "/api/shares/:shareId",
    { schema: { tags: ["shares"], summary: "Revoke a link", params: shareParamsSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      if (!(await app.shares.revoke(req.params.shareId, await req.actor()))) throw notFound("share");
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/shared/:token",
    {
      schema: {
        tags: ["shares"],
        summary: "Open a shared analysis: metadata and overview (no sign-in; counts a view); its parts are under /api/shared/:token/…",
        params: sharedTokenParamsSchema,
        response: { 200: sharedAnalysisSchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema },
      },
    },
    async (req, reply) => {
      const shared = await app.shareService.open(req.params.token);
      reply.header("cache-control", "no-store");
      // Bytes: the stored overview spliced in unparsed, already JSON.
      if (Buffer.isBuffer(shared)) return reply.type("application/json").send(shared as never);
      return reply.send(shared);
    },
  );
};
export default routes;
