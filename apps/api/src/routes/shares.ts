import { z } from "zod";
import {
  MAX_PART_PAGE,
  type AnalysisOverview,
  type CallDetail,
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
import { inflateJson, spliceJson } from "../lib/json-splice.js";
import { newRedactionKey } from "../lib/pseudonyms.js";
import { newTimeShift } from "../lib/time-shift.js";
import { perAccountLimit } from "./analyses/per-account-limit.js";
import { callScopeOf, shareRedactor, viewed } from "./parts.js";
import { callScopeOverview } from "../lib/call-scope-overview.js";

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema };
const DAY_MS = 24 * 3600 * 1000;

const routes: FastifyPluginAsyncZod = async (app) => {
  /** A link to one call must open on something of that call: its finding, its message. */
  async function checkFocusInScope(ordinal: number, ordinals: number[], analysisId: string, body: { focusFindingId?: string | undefined; focusMessageIndex?: number | undefined }) {
    if (!ordinals.length) throw badRequest(`scopeCallOrdinal ${ordinal}: the analysis has no such call`);
    const scope = await callScopeOf(app, analysisId, ordinals);
    if (!scope) return;
    if (body.focusFindingId !== undefined && !(await app.parts.findingIdsWithin(analysisId, scope.callIds)).includes(body.focusFindingId)) {
      throw badRequest(`focusFindingId "${body.focusFindingId}" is not about call ${ordinal} alone: share the whole trace to show it`);
    }
    if (body.focusMessageIndex !== undefined) {
      const message = await app.parts.message(analysisId, body.focusMessageIndex);
      if (!message || !scope.callIds.includes(message.callId)) throw badRequest(`focusMessageIndex ${body.focusMessageIndex} is not a message of call ${ordinal}`);
    }
  }

  /** The overview a share shows: the analysis's, or for a link to one call, that call's alone. */
  async function sharedOverview(analysisId: string, ordinals: readonly number[], overviewGz: Uint8Array): Promise<AnalysisOverview | null> {
    const scope = await callScopeOf(app, analysisId, ordinals);
    if (!scope) return null;
    const overview = await inflateJson<AnalysisOverview>(overviewGz);
    const details = await Promise.all(scope.ordinals.map(async (o) => JSON.parse((await app.parts.callJson(analysisId, o))?.toString("utf8") ?? "null") as CallDetail | null));
    const findings = await app.parts.findings(analysisId, { within: scope.callIds, after: null, limit: MAX_PART_PAGE });
    return callScopeOverview(overview, details.filter((d): d is CallDetail => d !== null), findings.items);
  }

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
      const actor = await req.actor();
      const access = await app.analyses.access(req.params.id, actor);
      if (!access) throw notFound();
      // A legacy analysis is stored in parts first: the share reads them (and the finding ids are the parts').
      await app.analysisService.ensureParts(access);
      const analysis = await app.analyses.summary(req.params.id, actor);
      if (!analysis) throw notFound();
      const { focusFindingId, focusMessageIndex, expiresInDays, redact, shiftTimes, scopeCallOrdinal } = req.body;
      if (focusMessageIndex !== undefined && focusMessageIndex >= analysis.messageCount) {
        throw badRequest(`focusMessageIndex ${focusMessageIndex} is out of range (the trace has ${analysis.messageCount} messages)`);
      }
      if (focusFindingId !== undefined) {
        const facts = await app.analyses.messageCountAndFinding(analysis.id, focusFindingId);
        if (!facts?.findingExists) throw badRequest(`the analysis has no finding "${focusFindingId}"`);
      }
      const scopeOrdinals = scopeCallOrdinal === undefined ? [] : await app.parts.legsOf(analysis.id, scopeCallOrdinal);
      if (scopeCallOrdinal !== undefined) await checkFocusInScope(scopeCallOrdinal, scopeOrdinals, analysis.id, req.body);
      const redactionKey = redact ? newRedactionKey() : null;
      let title = analysis.title;
      const redactor = shareRedactor(redactionKey);
      if (redactor) {
        // The title often names the callee ("INVITE sip:+4930…@…"): it gets the parts' pseudonyms.
        const overview = await app.analyses.overviewGz(analysis.id);
        if (overview) redactor.part(await inflateJson(overview));
        title = redactor.text(analysis.title);
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
        redactionKey,
        timeShiftSeconds: shiftTimes ? newTimeShift() : null,
        scopeOrdinals,
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
        summary: "Open a shared analysis: metadata and overview (no sign-in; counts a view); its parts are under /api/shared/:token/…",
        params: sharedTokenParamsSchema,
        response: { 200: sharedAnalysisSchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema },
      },
    },
    async (req, reply) => {
      const share = await app.shares.open(sha256Hex(req.params.token), { countView: true });
      if (!share) throw notFound("shared analysis (the link may have expired or been revoked)");
      await app.analysisService.ensureParts({ id: share.analysisId, partsVersion: share.partsVersion, messageCount: share.messageCount });
      const overview = await app.analyses.overviewGz(share.analysisId);
      if (!overview) throw notFound("shared analysis");
      reply.header("cache-control", "no-store");
      const view = { redactor: shareRedactor(share.redactionKey), timeShift: share.timeShiftSeconds };
      const transformed = view.redactor || view.timeShift !== null;
      const scoped = await sharedOverview(share.analysisId, share.scopeOrdinals, overview);
      if (scoped) return reply.send({ ...share.meta, overview: transformed ? viewed(view, scoped) : scoped });
      if (transformed) return reply.send({ ...share.meta, overview: viewed(view, await inflateJson(overview)) });
      return reply.type("application/json").send((await spliceJson(share.meta, "overview", overview)) as never);
    },
  );
};
export default routes;
