import { z } from "zod";
import { analysisDetailSchema as strictDetailSchema, sharedAnalysisSchema as strictSharedSchema, jobAcceptedSchema } from "@siplens/contracts";
import { analysisResultWireSchema } from "./resultSchema";

/** The API's wire schemas live in @siplens/contracts; the web app parses every response with them. */
export {
  analysisListSchema,
  analysisSummarySchema,
  errorBodySchema,
  jobStatusSchema,
  meSchema,
  shareCreatedSchema,
  shareListSchema,
  shareSummarySchema,
} from "@siplens/contracts";
export type { AnalysisDetail, AnalysisList, AnalysisSummary, JobStatus, ShareCreated, ShareSummary, SharedAnalysis, User } from "@siplens/contracts";

/** The contract's detail and shared-analysis schemas, with the big result checked by sampling (see resultSchema). */
export const analysisDetailSchema = strictDetailSchema.extend({ result: analysisResultWireSchema });
export const sharedAnalysisSchema = strictSharedSchema.extend({ result: analysisResultWireSchema });

/** POST /api/analyses and /upload answer either the finished analysis (201) or a job to poll (202). */
export const createAnalysisResponseSchema = z.union([jobAcceptedSchema, analysisDetailSchema]);
export type CreateAnalysisResponse = z.infer<typeof createAnalysisResponseSchema>;

/** better-auth answers vary by version; the UI only needs "it worked", then re-reads /api/me. */
export const authResponseSchema = z.unknown();
