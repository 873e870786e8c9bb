import {
  analysisDetailSchema,
  CONTROL_CHARACTERS_REFUSED,
  errorBodySchema,
  jobAcceptedSchema,
  lineText,
  MAX_TITLE_CHARS,
  MAX_UPLOAD_LABEL,
} from "@siplens/contracts";
import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { MultipartFile } from "@fastify/multipart";
import { badRequest, HttpError, tooLarge } from "../../errors.js";
import { withinTimeLimits } from "../../lib/timed-body.js";
import { perAccountLimit } from "./per-account-limit.js";
import { respondSubmitted } from "./respond.js";

const uploadQuerySchema = z.object({ title: lineText().trim().max(MAX_TITLE_CHARS).optional() });
const fileNameSchema = lineText();

/**
 * The multipart parser's own errors ("Boundary not found", "Unexpected end of multipart data") carry
 * no status: they are the client's malformed body, a 400 that says so, not a 500.
 */
function malformedMultipart(error: unknown): unknown {
  if (error instanceof HttpError || typeof (error as { statusCode?: unknown }).statusCode === "number") return error;
  const reason = error instanceof Error ? error.message : String(error);
  return badRequest(`the upload is not valid multipart/form-data (${reason}): send the file as multipart/form-data, field "file"`);
}

/** The file's bytes; multipart stops at the size limit and marks the stream truncated, which is a 413. */
async function* untilLimit(file: MultipartFile, limit: number): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of file.file) yield chunk as Buffer;
  } catch (error) {
    throw malformedMultipart(error);
  }
  if (file.file.truncated) throw tooLarge(`the file is larger than ${Math.round(limit / 1024 / 1024) || limit / 1024} ${limit >= 1024 * 1024 ? "MB" : "KB"}`);
}

const routes: FastifyPluginAsyncZod = async (app) => {
  const perAccount = perAccountLimit(app);

  app.post(
    "/api/analyses/upload",
    {
      config: { rateLimit: perAccount },
      schema: {
        tags: ["analyses"],
        summary: `Upload a capture or log file (multipart field "file", up to ${MAX_UPLOAD_LABEL})`,
        description: "Stored and analysed while it streams in. 201 when the analysis is ready quickly, else 202 with a job to poll.",
        querystring: uploadQuerySchema,
        consumes: ["multipart/form-data"],
        response: {
          201: analysisDetailSchema,
          202: jobAcceptedSchema,
          400: errorBodySchema,
          408: errorBodySchema,
          413: errorBodySchema,
          415: errorBodySchema,
          422: errorBodySchema,
          429: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new HttpError(415, "unsupported-media-type", 'send the file as multipart/form-data (field "file")');
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the multipart plugin's own HTTP error (an object with a statusCode) goes on as it came
      const file = await req.file().catch((error: unknown) => Promise.reject(malformedMultipart(error)));
      if (!file || file.fieldname !== "file") throw badRequest('no file in the upload (field "file")');
      if (!fileNameSchema.safeParse(file.filename).success) throw badRequest(`file name ${CONTROL_CHARACTERS_REFUSED}`);
      const actor = await req.actorForCreate(reply);
      const title = req.query.title || file.filename || "Uploaded trace";
      const body = withinTimeLimits(untilLimit(file, app.config.UPLOAD_MAX_BYTES), {
        idleMs: app.config.UPLOAD_IDLE_MS,
        totalMs: app.config.UPLOAD_BODY_MS,
        signal: app.shuttingDown,
      });
      const submitted = await app.jobRunner.analyseUpload(body, title.slice(0, MAX_TITLE_CHARS), actor);
      return respondSubmitted(app, reply, submitted, actor);
    },
  );
};
export default routes;
