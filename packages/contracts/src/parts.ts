import { z } from "zod";
import {
  callGroupRefSchema,
  callOutcomeSchema,
  findingCodeSchema,
  findingSchema,
  headerSchema,
  laneSchema,
  ladderRowSchema,
  messageSchema,
  problemSchema,
  severitySchema,
  traceFactsSchema,
  transactionSchema,
} from "./analysis.js";
import { lineText } from "./text.js";

/**
 * An analysis stored and read in parts, so a trace of half a million messages never travels or
 * sits in memory as one document:
 *
 *   overview        counts, lanes, coverage, totals, trace-wide findings, first problems
 *   call index      one row per call (list, filters, search)
 *   call detail     one call: transactions, findings, message summaries, ladder rows
 *   message blocks  MESSAGE_BLOCK_SIZE consecutive messages: summaries, and raw text apart
 *
 * The analysis library produces these (`@siplens/analysis` result stage), the API stores and
 * serves them, the web app reads them page by page.
 */

/** Messages per stored block: block n holds indices [n*SIZE, (n+1)*SIZE). */
export const MESSAGE_BLOCK_SIZE = 1000;
/** The overview carries at most this many problems (the rest are counted). */
export const OVERVIEW_MAX_PROBLEMS = 500;
/** The overview carries at most this many trace-wide findings (the rest are paged). */
export const OVERVIEW_MAX_FINDINGS = 200;
/**
 * The whole-trace ladder has at most this many lanes: the busiest hosts, in ladder order, and one
 * lane OTHER_HOSTS_LANE for every other host (a trunk capture may hold tens of thousands of
 * endpoints; each call's own ladder still shows its hosts apart).
 */
export const OVERVIEW_MAX_LANES = 48;
export const OTHER_HOSTS_LANE = "*other-hosts*";
/** The overview names at most this many path hops (the rest are counted). */
export const OVERVIEW_MAX_COVERAGE = 40;

/** What a list, a ladder or a message header line needs of a message: no raw text, no header list. */
export const messageSummarySchema = messageSchema.omit({ raw: true, headers: true });
export type MessageSummary = z.infer<typeof messageSummarySchema>;

/** One message whole: its summary, the text as captured and its headers (parsed on demand). */
export const messageDetailSchema = messageSummarySchema.extend({
  raw: z.string(),
  headers: z.array(headerSchema),
});
export type MessageDetail = z.infer<typeof messageDetailSchema>;

const countsByCode = z.partialRecord(findingCodeSchema, z.number().int());

/** What decided a 487: a finding code, or "unexplained" when no finding covers it. */
export const causeCodeSchema = z.union([findingCodeSchema, z.literal("unexplained")]);
export type CauseCode = z.infer<typeof causeCodeSchema>;
const countsByOutcome = z.partialRecord(callOutcomeSchema, z.number().int());

/**
 * Said up front when the input is a summary that names SIP messages without carrying them (tshark's
 * one-line or -T fields output, sngrep's call-flow screen): why there is nothing to diagnose, and
 * how to export the same trace in a form that has the messages.
 */
export const summaryOnlyNoticeSchema = z.object({
  formatName: z.string(),
  reason: z.string(),
  exports: z.array(z.object({ how: z.string(), command: z.string().optional() })),
});
export type SummaryOnlyNotice = z.infer<typeof summaryOnlyNoticeSchema>;

export const analysisOverviewSchema = traceFactsSchema.extend({
  callCount: z.number().int(),
  /** Correlated calls (several Call-IDs across a B2BUA) and the Call-IDs they hold; absent in analyses stored before. */
  correlated: z.object({ calls: z.number().int(), legs: z.number().int() }).optional(),
  /** At most OVERVIEW_MAX_LANES; laneCount counts every host. */
  lanes: z.array(laneSchema),
  laneCount: z.number().int(),
  /** At most OVERVIEW_MAX_COVERAGE hops; coverageCount counts them all. */
  coverage: z.array(z.string()),
  coverageCount: z.number().int(),
  /** Every finding counted by code (call findings and trace-wide patterns). */
  findingCount: z.number().int(),
  findingTotals: countsByCode,
  /** Calls by outcome. */
  outcomeTotals: countsByOutcome,
  /**
   * Every 487 sent (first copies: a retransmission is the same response), counted once under the
   * most decisive call finding that names it as evidence (by severity, then specificity), else the
   * most decisive finding of its call, else "unexplained"; worst cause first. `severity` is the
   * deciding findings' worst (absent for "unexplained" and in analyses stored before).
   */
  responses487: z.object({
    total: z.number().int(),
    byCause: z.array(z.object({ code: causeCodeSchema, count: z.number().int(), severity: severitySchema.optional() })),
  }),
  /** Trace-wide findings (callIds.length !== 1), at most OVERVIEW_MAX_FINDINGS. */
  traceFindings: z.array(findingSchema),
  /** Problems in input order, at most OVERVIEW_MAX_PROBLEMS; problemCount has them all. */
  problems: z.array(problemSchema),
  problemCount: z.number().int(),
  /** True when any message is a retransmission (the ladder offers to collapse them). */
  hasRetransmissions: z.boolean(),
  /** Present when the input format has no full SIP messages (nothing could be analysed). */
  summaryOnly: summaryOnlyNoticeSchema.optional(),
  /**
   * Decimal places of a second the input's times carry (3 = ms, 6 = µs), so times are shown as
   * precisely as the capture took them; absent in analyses stored before (read as 3).
   */
  timeDigits: z.number().int().min(0).max(6).optional(),
});
export type AnalysisOverview = z.infer<typeof analysisOverviewSchema>;

/** One call in the call list. `ordinal` is its position in the trace (0-based) and its address. */
export const callIndexRowSchema = z.object({
  ordinal: z.number().int(),
  callId: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  startTime: z.number().nullable(),
  endTime: z.number().nullable(),
  outcome: callOutcomeSchema,
  finalStatus: z.number().int().optional(),
  findingCodes: z.array(findingCodeSchema),
  messageCount: z.number().int(),
  /** Lane ids the call crossed, in order of first appearance. */
  hosts: z.array(z.string()),
  branches: z.number().int(),
  /** Present when this call is one leg of a correlated call (several Call-IDs across a B2BUA). */
  group: callGroupRefSchema.optional(),
  /** What decided this call's 487s (see the overview's responses487), worst first; absent in analyses stored before. */
  causes487: z.array(causeCodeSchema).optional(),
});
export type CallIndexRow = z.infer<typeof callIndexRowSchema>;

/** One call whole: what the ladder, the findings panel and the message list need. */
export const callDetailSchema = callIndexRowSchema.extend({
  transactions: z.array(transactionSchema),
  /** Findings about this call alone. */
  findings: z.array(findingSchema),
  /**
   * Ids of the trace-wide findings (patterns over many calls) that include this call: they are in
   * the overview's traceFindings and the findings route, not copied into every call they name.
   */
  traceFindingIds: z.array(z.string()),
  messages: z.array(messageSummarySchema),
  /**
   * The call's own lanes with their labels, in the order the call crossed them (caller first): the
   * overview names at most OVERVIEW_MAX_LANES hosts. Absent in analyses stored before.
   */
  lanes: z.array(laneSchema).optional(),
});
export type CallDetail = z.infer<typeof callDetailSchema>;

/** A stored block of consecutive messages. */
export interface MessageBlock {
  /** Block number: messages [block*MESSAGE_BLOCK_SIZE, …). */
  block: number;
  firstIndex: number;
  /** Time of the first / last timed message of the block. */
  startTime: number | null;
  endTime: number | null;
  messages: MessageSummary[];
  /** Raw text of each message, same order (stored apart: the ladder never needs it). */
  raw: string[];
}

// ---------- queries and pages of the part routes ----------

/** The most calls or findings one page of a part route answers. */
export const MAX_PART_PAGE = 500;

export const callListQuerySchema = z.object({
  cursor: lineText().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PART_PAGE).default(100),
  outcome: callOutcomeSchema.optional(),
  finding: findingCodeSchema.optional(),
  /** Calls with a 487 decided by this cause (a chip of the overview's responses487). */
  cause: causeCodeSchema.optional(),
  /** The calls a trace-wide finding covers (its id, "f12"). */
  pattern: z
    .string()
    .regex(/^f\d{1,9}$/)
    .optional(),
  /** The legs of one correlated call ("g1": callGroupRefSchema.id). */
  group: z
    .string()
    .regex(/^g\d{1,9}$/)
    .optional(),
  /** Calls overlapping [from, to] (epoch seconds). */
  from: z.coerce.number().optional(),
  to: z.coerce.number().optional(),
  /** Substring of a number/user, Call-ID, URI or host (case-insensitive). */
  q: lineText().trim().max(200).optional(),
});
export type CallListQuery = z.input<typeof callListQuerySchema>;

export const callListPageSchema = z.object({
  items: z.array(callIndexRowSchema),
  /** Calls matching the filters (all pages). */
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type CallListPage = z.infer<typeof callListPageSchema>;

export const callParamsSchema = z.object({ id: lineText().min(1).max(128), ordinal: z.coerce.number().int().min(0) });
export const messageParamsSchema = z.object({ id: lineText().min(1).max(128), index: z.coerce.number().int().min(0) });

/** Rows of the whole-trace ladder: by index (start) or from the first message at/after a time. */
export const traceWindowQuerySchema = z.object({
  start: z.coerce.number().int().min(0).optional(),
  time: z.coerce.number().optional(),
  count: z.coerce.number().int().min(1).max(2000).default(500),
});
export type TraceWindowQuery = z.input<typeof traceWindowQuerySchema>;

export const traceWindowSchema = z.object({
  start: z.number().int(),
  messageCount: z.number().int(),
  messages: z.array(messageSummarySchema),
  rows: z.array(ladderRowSchema),
});
export type TraceWindow = z.infer<typeof traceWindowSchema>;

export const findingListQuerySchema = z.object({
  cursor: lineText().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PART_PAGE).default(100),
  code: findingCodeSchema.optional(),
});
export type FindingListQuery = z.input<typeof findingListQuerySchema>;

export const findingListPageSchema = z.object({
  items: z.array(findingSchema),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type FindingListPage = z.infer<typeof findingListPageSchema>;
