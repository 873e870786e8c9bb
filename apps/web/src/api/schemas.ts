import { z } from "zod";
import { analysisResultSchema } from "@siplens/contracts";

/*
 * Wire schemas as agreed in the HTTP API note. Kept lenient (optional/nullable where the server may omit),
 * because the UI must degrade gracefully, never crash on an extra or missing cosmetic field.
 */

const isoDate = z.string();

export const jobSchema = z.object({
  id: z.string(),
  status: z.enum(["queued", "running", "done", "failed"]),
  bytesRead: z.number().nullish(),
  totalBytes: z.number().nullish(),
  analysisId: z.string().nullish(),
  error: z.union([z.string(), z.object({ message: z.string() }).transform((e) => e.message)]).nullish(),
});
export type Job = z.infer<typeof jobSchema>;

/** Fields every analysis record carries, in the list and in the detail. */
const analysisMetaSchema = z.object({
  id: z.string(),
  title: z.string().nullish(),
  note: z.string().nullish(),
  format: z.string().nullish(),
  createdAt: isoDate,
  updatedAt: isoDate.nullish(),
  expiresAt: isoDate.nullish(),
});

export const analysisDetailSchema = analysisMetaSchema.extend({
  owned: z.boolean().default(false),
  saved: z.boolean().default(false),
  result: analysisResultSchema,
});
export type AnalysisDetail = z.infer<typeof analysisDetailSchema>;

/** POST /api/analyses answers either the finished analysis (201) or a job to poll (202). */
export const createAnalysisResponseSchema = z.union([
  z.object({ job: jobSchema }),
  analysisDetailSchema,
]);
export type CreateAnalysisResponse = z.infer<typeof createAnalysisResponseSchema>;

export const analysisSummarySchema = analysisMetaSchema.extend({
  messageCount: z.number().nullish(),
  callCount: z.number().nullish(),
  findingCodes: z.array(z.string()).nullish(),
  findingCount: z.number().nullish(),
  saved: z.boolean().nullish(),
});
export type AnalysisSummary = z.infer<typeof analysisSummarySchema>;

export const analysisListSchema = z.object({
  items: z.array(analysisSummarySchema),
  nextCursor: z.string().nullish(),
});
export type AnalysisList = z.infer<typeof analysisListSchema>;

export const shareSummarySchema = z.object({
  id: z.string(),
  token: z.string().nullish(),
  url: z.string().nullish(),
  createdAt: isoDate,
  expiresAt: isoDate.nullish(),
  revokedAt: isoDate.nullish(),
  views: z.number().default(0),
  redact: z.boolean().default(false),
  focusFindingId: z.string().nullish(),
  focusMessageIndex: z.number().nullish(),
});
export type ShareSummary = z.infer<typeof shareSummarySchema>;

export const shareListSchema = z.object({ items: z.array(shareSummarySchema) });

export const sharedAnalysisSchema = z.object({
  title: z.string().nullish(),
  sharedAt: isoDate.nullish(),
  focusFindingId: z.string().nullish(),
  focusMessageIndex: z.number().nullish(),
  redacted: z.boolean().default(false),
  result: analysisResultSchema,
});
export type SharedAnalysis = z.infer<typeof sharedAnalysisSchema>;

export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string().nullish() });
export type User = z.infer<typeof userSchema>;
export const meSchema = z.object({ user: userSchema.nullable() });

export const healthSchema = z.object({ status: z.string(), database: z.string().optional(), version: z.string().optional() });

/** better-auth answers vary by version; the UI only needs "it worked", then re-reads /api/me. */
export const authResponseSchema = z.unknown();
