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
import { badRequest, notFound } from "../errors.js";
import { randomId, sha256Hex } from "../lib/ids.js";
import { httpErrorOfAnalysis } from "../services/analysis-errors.js";
import { perAccountLimit } from "./analyses/per-account-limit.js";

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema };
const DAY_MS = 24 * 3600 * 1000;

const routes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/api/analyses/:id/shares",
    {
      // A redacted snapshot rewrites the whole result: as costly as an analysis, limited like one.
      config: { rateLimit: perAccountLimit(app) },
      schema: {
        tags: ["shares"],
        summary: "Create a read-only link (frozen snapshot, optional focus, expiry, redaction)",
        params: analysisParamsSchema,
        body: createShareBodySchema,
        response: { 201: shareCreatedSchema, ...errors },
      },
    },
    async (req, reply) => {
      const analysis = await app.analyses.summary(req.params.id, await req.actor());
      if (!analysis) throw notFound();
      const { focusFindingId, focusMessageIndex, expiresInDays, redact } = req.body;
      if (focusMessageIndex !== undefined && focusMessageIndex >= analysis.messageCount) {
        throw badRequest(`focusMessageIndex ${focusMessageIndex} is out of range (the trace has ${analysis.messageCount} messages)`);
      }
      if (focusFindingId !== undefined) {
        const facts = await app.analyses.messageCountAndFinding(analysis.id, focusFindingId);
        if (!facts?.findingExists) throw badRequest(`the analysis has no finding "${focusFindingId}"`);
      }
      let redactedGz: Uint8Array | null = null;
      let title = analysis.title;
      if (redact) {
        const stored = await app.analyses.resultGz(analysis.id);
        if (!stored) throw notFound();
        try {
          // Redacting a big result is heavy: the bulk pool keeps it from starving pastes.
          ({ resultGz: redactedGz, title } = await app.workers.bulk.redact(stored, analysis.title));
        } catch (error) {
          throw httpErrorOfAnalysis(error);
        }
      }
      const token = randomId();
      const share = await app.shares.create({
        id: randomId(),
        analysisId: analysis.id,
        tokenHash: sha256Hex(token),
        title,
        redacted: redact,
        focusFindingId: focusFindingId ?? null,
        focusMessageIndex: focusMessageIndex ?? null,
        expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * DAY_MS) : null,
        redactedGz,
      });
      return reply.code(201).send({ ...share, token, url: `/s/${token}` });
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
        summary: "Open a shared analysis (no sign-in; counts a view)",
        params: sharedTokenParamsSchema,
        response: { 200: sharedAnalysisSchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema },
      },
    },
    async (req, reply) => {
      const json = await app.shares.openJson(sha256Hex(req.params.token));
      if (!json) throw notFound("shared analysis (the link may have expired or been revoked)");
      return reply.header("cache-control", "no-store").type("application/json").send(json as never);
    },
  );
};
export default routes;
