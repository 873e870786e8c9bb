import { z } from "zod";
import { analysisDetailSchema, jobAcceptedSchema } from "@siplens/contracts";

/** The API's wire schemas live in @siplens/contracts; the web app parses every response with them. */
export {
  analysisDetailSchema,
  analysisListSchema,
  analysisSummarySchema,
  callDetailSchema,
  callListPageSchema,
  findingListPageSchema,
  jobStatusSchema,
  meSchema,
  messageDetailSchema,
  shareCreatedSchema,
  shareListSchema,
  sharedAnalysisSchema,
  signInResultSchema,
  traceWindowSchema,
} from "@siplens/contracts";
export type { AnalysisDetail, AnalysisList, AnalysisSummary, ShareCreated, SignInResult } from "@siplens/contracts";

/** POST /api/analyses and /upload answer either the finished analysis (201) or a job to poll (202). */
export const createAnalysisResponseSchema = z.union([jobAcceptedSchema, analysisDetailSchema]);
export type CreateAnalysisResponse = z.infer<typeof createAnalysisResponseSchema>;

/** better-auth answers vary by version; the UI only needs "it worked", then re-reads /api/me. */
export const authResponseSchema = z.unknown();
