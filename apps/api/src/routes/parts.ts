import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import {
  analysisParamsSchema,
  callDetailSchema,
  callListPageSchema,
  callListQuerySchema,
  callParamsSchema,
  errorBodySchema,
  findingListPageSchema,
  findingListQuerySchema,
  messageDetailSchema,
  messageParamsSchema,
  sharedTokenParamsSchema,
  traceWindowQuerySchema,
  traceWindowSchema,
} from "@siplens/contracts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { badRequest, notFound } from "../errors.js";
import { sha256Hex } from "../lib/ids.js";
import { decodeOrdinalCursor } from "../repositories/parts.js";
import { callScopeOf, shareRedactor, viewed, type PartView } from "../services/share-view.js";

const errors = { 400: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema };

const outOfScope = () => notFound("part of this link (it shares one call)");

interface PartSource {
  /** "/api/analyses/:id" or "/api/shared/:token". */
  prefix: string;
  tag: string;
  /** The params of the prefix (id or token). */
  params: z.ZodObject<z.ZodRawShape>;
  /** The view of the analysis the request may read, its parts stored; null = 404. */
  resolve(req: FastifyRequest): Promise<PartView | null>;
  notFound: () => Error;
}

function cursorOf(text: string | undefined): number | null {
  const after = decodeOrdinalCursor(text);
  if (after === "invalid") throw badRequest("invalid cursor");
  return after;
}

/** A time a visitor of a shifted share asks about (window, call filters), in the capture's own clock. */
const capturedTime = (view: PartView, time: number | undefined): number | undefined =>
  time === undefined || view.timeShift === null ? time : time - view.timeShift;

/** A stored part this large (a call of thousands of messages) is heavy work to parse and redact. */
const HEAVY_PART_BYTES = 1024 * 1024;

/** JSON as stored (owner), or parsed and shown through the share's view (a big one within the heavy-work bound). */
async function sendJson(app: FastifyInstance, reply: FastifyReply, view: PartView, json: Buffer) {
  if (!view.redactor && view.timeShift === null) return reply.type("application/json").send(json);
  const show = async () => viewed(view, JSON.parse(json.toString("utf8")) as unknown);
  return reply.send(await (json.length > HEAVY_PART_BYTES ? app.heavyWork.run(show) : show()));
}

/** The part routes of one source: the same handlers serve an owner's analysis and a share's. */
function registerParts(app: FastifyInstance, source: PartSource): void {
  const { prefix, tag } = source;
  const view = async (req: FastifyRequest): Promise<PartView> => {
    const v = await source.resolve(req);
    if (!v) throw source.notFound();
    return v;
  };
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    `${prefix}/calls`,
    {
      schema: {
        tags: [tag],
        summary: "Calls, in trace order, filtered and searched, a page at a time",
        params: source.params,
        querystring: callListQuerySchema,
        response: { 200: callListPageSchema, ...errors },
      },
    },
    async (req) => {
      const v = await view(req);
      // The search runs on the stored (original) values: on a redacted share it would reveal them.
      if (v.redactor && req.query.q) throw badRequest("search is not available on a redacted share");
      const { cursor, from, to, ...filters } = req.query;
      const times = { from: capturedTime(v, from), to: capturedTime(v, to) };
      const scope = v.scope ? { ordinals: v.scope.ordinals } : {};
      return viewed(v, await app.parts.calls(v.analysisId, { ...filters, ...times, ...scope, after: cursorOf(cursor) }));
    },
  );

  typed.get(
    `${prefix}/calls/:ordinal`,
    {
      schema: {
        tags: [tag],
        summary: "One call: transactions, findings, message summaries",
        params: source.params.extend({ ordinal: callParamsSchema.shape.ordinal }),
        response: { 200: callDetailSchema, ...errors },
      },
    },
    async (req, reply) => {
      const v = await view(req);
      const ordinal = (req.params as { ordinal: number }).ordinal;
      if (v.scope && !v.scope.ordinals.includes(ordinal)) throw outOfScope();
      const json = await app.parts.callJson(v.analysisId, ordinal);
      if (!json) throw notFound("call");
      return sendJson(app, reply, v, json);
    },
  );

  typed.get(
    `${prefix}/messages/:index`,
    {
      schema: {
        tags: [tag],
        summary: "One message: summary, raw text and headers",
        params: source.params.extend({ index: messageParamsSchema.shape.index }),
        response: { 200: messageDetailSchema, ...errors },
      },
    },
    async (req) => {
      const v = await view(req);
      const message = await app.parts.message(v.analysisId, (req.params as { index: number }).index);
      if (!message) throw notFound("message");
      if (v.scope && !v.scope.callIds.includes(message.callId)) throw outOfScope();
      return viewed(v, message);
    },
  );

  typed.get(
    `${prefix}/window`,
    {
      schema: {
        tags: [tag],
        summary: "Rows of the whole-trace ladder from a message index or a time",
        params: source.params,
        querystring: traceWindowQuerySchema,
        response: { 200: traceWindowSchema, ...errors },
      },
    },
    async (req) => {
      const v = await view(req);
      // Rows of the whole trace would show the other calls.
      if (v.scope) throw outOfScope();
      return viewed(v, await app.parts.window(v.analysisId, v.messageCount, { ...req.query, time: capturedTime(v, req.query.time) }));
    },
  );

  typed.get(
    `${prefix}/findings`,
    {
      schema: {
        tags: [tag],
        summary: "Findings, in order, a page at a time",
        params: source.params,
        querystring: findingListQuerySchema,
        response: { 200: findingListPageSchema, ...errors },
      },
    },
    async (req) => {
      const v = await view(req);
      const { cursor, ...filters } = req.query;
      const scope = v.scope ? { within: v.scope.callIds } : {};
      return viewed(v, await app.parts.findings(v.analysisId, { ...filters, ...scope, after: cursorOf(cursor) }));
    },
  );
}

const routes: FastifyPluginAsyncZod = async (app) => {
  registerParts(app, {
    prefix: "/api/analyses/:id",
    tag: "analyses",
    params: analysisParamsSchema,
    notFound: () => notFound(),
    async resolve(req) {
      const access = await app.analyses.access((req.params as { id: string }).id, await req.actor());
      if (!access) return null;
      await app.jobRunner.ensureParts(access);
      return { analysisId: access.id, messageCount: access.messageCount, redactor: null, timeShift: null, scope: null };
    },
  });
  registerParts(app, {
    prefix: "/api/shared/:token",
    tag: "shares",
    params: sharedTokenParamsSchema,
    notFound: () => notFound("shared analysis (the link may have expired or been revoked)"),
    async resolve(req) {
      const share = await app.shares.open(sha256Hex((req.params as { token: string }).token), { countView: false });
      if (!share) return null;
      await app.jobRunner.ensureParts({ id: share.analysisId, partsVersion: share.partsVersion, messageCount: share.messageCount });
      return {
        analysisId: share.analysisId,
        messageCount: share.messageCount,
        redactor: shareRedactor(share.redactionKey),
        timeShift: share.timeShiftSeconds,
        scope: await callScopeOf(app.parts, share.analysisId, share.scopeOrdinals),
      };
    },
  });
};
export default routes;
