import { z } from "zod";
import { findingCodeSchema, formatIdSchema } from "./analysis.js";
import { analysisOverviewSchema } from "./parts.js";
import { lineText, multilineText } from "./text.js";

/**
 * Wire schemas of the siplens HTTP API. The API validates requests and serialises responses with
 * them (fastify-type-provider-zod); the web app parses fetch responses and validates forms with them;
 * the tests assert against them. Timestamps travel as ISO-8601 strings.
 */

/** Largest pasted text the JSON route accepts (characters ≈ bytes for SIP text). */
export const MAX_PASTE_CHARS = 5 * 1024 * 1024;
/**
 * Largest uploaded file (multipart "file" part). An analysis needs ~410 MB of worker heap per
 * 100 MB of dense SIP (apps/api/README.md): 300 MiB fits the default 2 GB heap cap with room.
 */
export const MAX_UPLOAD_BYTES = 300 * 1024 * 1024;
/** The same, as the pages say it. */
export const MAX_UPLOAD_LABEL = `${MAX_UPLOAD_BYTES / 1024 / 1024} MB`;
export const MAX_TITLE_CHARS = 200;
export const MAX_NOTE_CHARS = 10_000;
/** Anonymous analyses are purged this many days after creation. */
export const ANONYMOUS_RETENTION_DAYS = 7;

const isoDate = z.iso.datetime({ offset: true });

// ---------- errors ----------

export const errorCodeSchema = z.enum([
  "bad-request",
  "unauthorized",
  "forbidden",
  "not-found",
  "payload-too-large",
  "unsupported-media-type",
  "not-a-trace",
  "rate-limited",
  "database-unavailable",
  "analysis-failed",
  "internal",
  "request-timeout",
  "quota-exceeded",
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/**
 * Every error response: `{ error, message }`. `tried` names the formats tried when the input is not
 * a trace; `reason` is the account service's own finer code ("invalid-email-or-password",
 * "weak-password", …) beside our `error`, so clients can tell those apart without a code per case here.
 */
export const errorBodySchema = z.object({
  error: errorCodeSchema,
  message: z.string(),
  tried: z.array(z.string()).optional(),
  reason: z.string().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

// ---------- health / me ----------

export const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.enum(["ok", "unavailable"]),
  /** What is wrong while degraded, in words fit for anyone who can reach the page (no hosts, users or driver text). */
  problem: z.string().optional(),
  version: z.string(),
});
export type Health = z.infer<typeof healthSchema>;

export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string() });
export type User = z.infer<typeof userSchema>;
export const meSchema = z.object({ user: userSchema.nullable() });
export type Me = z.infer<typeof meSchema>;

/** Forms of the web app for better-auth's /api/auth/sign-up/email and /api/auth/sign-in/email. */
/** An account's display name: one line, not empty, at most 100 characters. */
export const accountNameSchema = lineText().trim().min(1, "give a name").max(100, "a name has at most 100 characters");
export const signUpBodySchema = z.object({
  email: z.email().max(254),
  password: z.string().min(8).max(128),
  name: accountNameSchema,
});
export type SignUpBody = z.infer<typeof signUpBodySchema>;
export const signInBodySchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(128) });
export type SignInBody = z.infer<typeof signInBodySchema>;
/** "Forgot password?": better-auth's /api/auth/request-password-reset (the link comes by mail, or in the server log). */
export const requestPasswordResetBodySchema = z.object({ email: z.email().max(254), redirectTo: z.string().max(200).optional() });
export type RequestPasswordResetBody = z.infer<typeof requestPasswordResetBodySchema>;
/** The new password, with the token the reset link carried: /api/auth/reset-password. */
export const resetPasswordBodySchema = z.object({ newPassword: z.string().min(8).max(128), token: lineText().min(1).max(256) });
export type ResetPasswordBody = z.infer<typeof resetPasswordBodySchema>;
/** What a successful sign-in adds to better-auth's answer: how many of this browser's analyses moved into the account. */
export const signInResultSchema = z.object({ claimedAnalyses: z.number().int().min(0) });
export type SignInResult = z.infer<typeof signInResultSchema>;

// ---------- params ----------

/** Ids are opaque random strings: a well-formed unknown id is a 404; control characters are a 400. */
export const opaqueIdSchema = lineText().min(1).max(128);
const opaqueId = opaqueIdSchema;
export const analysisParamsSchema = z.object({ id: opaqueId });
export const jobParamsSchema = z.object({ jobId: opaqueId });
export const shareParamsSchema = z.object({ shareId: opaqueId });
export const sharedTokenParamsSchema = z.object({ token: opaqueId });

// ---------- analyses ----------

export const createPasteBodySchema = z.object({
  text: z.string().min(1).max(MAX_PASTE_CHARS),
  title: lineText().trim().max(MAX_TITLE_CHARS).optional(),
});
export type CreatePasteBody = z.infer<typeof createPasteBodySchema>;

const analysisMetaShape = {
  id: z.string(),
  title: z.string(),
  note: z.string(),
  format: formatIdSchema,
  formatName: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  /** null once the analysis belongs to an account (kept until deleted). */
  expiresAt: isoDate.nullable(),
  /** The caller owns it (by account or by this browser's anonymous key) and may edit, delete, share. */
  owned: z.boolean(),
  /** Kept in an account (true) rather than anonymous and expiring (false). */
  saved: z.boolean(),
  inputBytes: z.number().int(),
  sha256: z.string(),
  messageCount: z.number().int(),
  callCount: z.number().int(),
  findingCount: z.number().int(),
};

export const analysisSummarySchema = z.object({
  ...analysisMetaShape,
  /** Distinct finding codes in this analysis, for badges in the list. */
  findingCodes: z.array(findingCodeSchema),
});
export type AnalysisSummary = z.infer<typeof analysisSummarySchema>;

/** An opened analysis: its metadata and overview; calls, ladder rows and messages are read in parts. */
export const analysisDetailSchema = z.object({
  ...analysisMetaShape,
  overview: analysisOverviewSchema,
});
export type AnalysisDetail = z.infer<typeof analysisDetailSchema>;

/** The most analyses one page of the list answers. */
export const MAX_ANALYSIS_PAGE = 100;

export const listAnalysesQuerySchema = z.object({
  cursor: lineText().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_ANALYSIS_PAGE).default(20),
  /** Case-insensitive substring of the title. */
  q: lineText().trim().max(MAX_TITLE_CHARS).optional(),
  /** Only analyses with at least one finding of this code. */
  finding: findingCodeSchema.optional(),
});
export type ListAnalysesQuery = z.input<typeof listAnalysesQuerySchema>;

export const analysisListSchema = z.object({
  items: z.array(analysisSummarySchema),
  nextCursor: z.string().nullable(),
});
export type AnalysisList = z.infer<typeof analysisListSchema>;

export const updateAnalysisBodySchema = z
  .object({
    title: lineText().trim().min(1).max(MAX_TITLE_CHARS).optional(),
    note: multilineText().max(MAX_NOTE_CHARS).optional(),
  })
  .refine((b) => b.title !== undefined || b.note !== undefined, { message: "give a title or a note" });
export type UpdateAnalysisBody = z.infer<typeof updateAnalysisBodySchema>;

// ---------- jobs (large uploads, analysed in the background) ----------

export const jobStateSchema = z.enum(["queued", "running", "done", "failed"]);
export type JobState = z.infer<typeof jobStateSchema>;

export const jobStatusSchema = z.object({
  id: z.string(),
  status: jobStateSchema,
  bytesRead: z.number().int(),
  totalBytes: z.number().int().nullable().optional(),
  /** Set when status is "done": open /api/analyses/:analysisId. */
  analysisId: z.string().nullable().optional(),
  /** Set when status is "failed" (e.g. error "not-a-trace" with the formats tried). */
  error: errorBodySchema.nullable().optional(),
});
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** 202 body of POST /api/analyses and /api/analyses/upload when the work continues in the background. */
export const jobAcceptedSchema = z.object({ job: jobStatusSchema });
export type JobAccepted = z.infer<typeof jobAcceptedSchema>;

// ---------- shares ----------

export const createShareBodySchema = z.object({
  focusFindingId: lineText().max(64).optional(),
  focusMessageIndex: z.number().int().min(0).optional(),
  /** null or absent: the link never expires. */
  expiresInDays: z.number().int().min(1).max(365).nullable().optional(),
  /** Replace numbers/user parts, IPs and host names with consistent pseudonyms. */
  redact: z.boolean().default(false),
  /** Move every absolute time (message times, call times, Date headers) by one offset chosen for the link; intervals stay. */
  shiftTimes: z.boolean().default(false),
  /** Share only this call (its ordinal; every leg of a correlated call comes with it); absent: the whole trace. */
  scopeCallOrdinal: z.number().int().min(0).optional(),
});
export type CreateShareBody = z.input<typeof createShareBodySchema>;

/** What a link shows: the whole trace, or one call (its legs) and nothing else. */
export const shareScopeSchema = z.enum(["trace", "call"]);
export type ShareScope = z.infer<typeof shareScopeSchema>;

export const shareSummarySchema = z.object({
  id: z.string(),
  analysisId: z.string(),
  createdAt: isoDate,
  expiresAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
  views: z.number().int(),
  redact: z.boolean(),
  focusFindingId: z.string().nullable(),
  focusMessageIndex: z.number().int().nullable(),
  scope: shareScopeSchema,
  /** The Call-IDs a "call" link shows (the owner's view: never redacted); empty for the whole trace. */
  scopeCallIds: z.array(z.string()),
});
export type ShareSummary = z.infer<typeof shareSummarySchema>;

/** The token is returned once, at creation; only its hash is stored. url is the web path "/s/<token>". */
export const shareCreatedSchema = shareSummarySchema.extend({ token: z.string(), url: z.string() });
export type ShareCreated = z.infer<typeof shareCreatedSchema>;

export const shareListSchema = z.object({ items: z.array(shareSummarySchema) });
export type ShareList = z.infer<typeof shareListSchema>;

export const sharedAnalysisSchema = z.object({
  title: z.string(),
  sharedAt: isoDate,
  expiresAt: isoDate.nullable(),
  focusFindingId: z.string().nullable(),
  focusMessageIndex: z.number().int().nullable(),
  redacted: z.boolean(),
  /** Absolute times are moved by an offset the link keeps to itself (intervals are the capture's). */
  timesShifted: z.boolean().default(false),
  /** Absent from servers before scopes: those links showed the whole trace. */
  scope: shareScopeSchema.default("trace"),
  /** The shared analysis's overview (of the one call, for a "call" link); its parts are read under /api/shared/:token/… (redacted alike). */
  overview: analysisOverviewSchema,
});
export type SharedAnalysis = z.infer<typeof sharedAnalysisSchema>;
