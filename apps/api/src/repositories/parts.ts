import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import type { z } from "zod";
import { ladderRowsOf, parseSipMessage } from "@siplens/analysis";
import type { callListQuerySchema, findingListQuerySchema } from "@siplens/contracts";
import {
  MESSAGE_BLOCK_SIZE,
  type CallGroupRef,
  type CallIndexRow,
  type CallListPage,
  findingSchema,
  type Finding,
  type FindingListPage,
  type MessageDetail,
  type MessageSummary,
  type TraceWindow,
} from "@siplens/contracts";
import { Prisma, type PrismaClient } from "@siplens/db";
import { inflateJson } from "../lib/json-splice.js";
import { Lru } from "../lib/lru.js";
import { causeCodesColumn, findingCodesColumn, groupBasisColumn, outcomeColumn } from "./columns.js";

const gunzipAsync = promisify(gunzip);

/** Keyset cursors of part pages: the ordinal of the last item served, as text. */
export function decodeOrdinalCursor(cursor: string | undefined): number | null | "invalid" {
  if (cursor === undefined) return null;
  return /^\d{1,9}$/.test(cursor) ? Number(cursor) : "invalid";
}

/** A parsed page query: the cursor decoded to the ordinal after which the page starts. */
type PageQuery<Q> = Omit<Q, "cursor"> & { after: number | null };
/** `ordinals`: only these calls (a link to one call). */
type CallQuery = PageQuery<z.output<typeof callListQuerySchema>> & { ordinals?: readonly number[] };
/** `within`: only findings every call of which is among these Call-IDs (a link to one call). */
type FindingQuery = PageQuery<z.output<typeof findingListQuerySchema>> & { within?: readonly string[] };

interface CallRowSql {
  ordinal: number;
  call_id: string;
  from_uri: string | null;
  to_uri: string | null;
  start_time: number | null;
  end_time: number | null;
  outcome: string;
  final_status: number | null;
  finding_codes: string[];
  cause_codes: string[] | null;
  message_count: number;
  hosts: string[];
  branches: number;
  group_id: string | null;
  group_basis: string | null;
  group_confidence: number | null;
  group_legs: number | null;
  group_leg: number | null;
  group_call_ids: string[] | null;
  group_note: string | null;
}

function groupOf(r: CallRowSql): CallGroupRef | undefined {
  if (r.group_id === null || r.group_basis === null || r.group_legs === null || r.group_leg === null) return undefined;
  return {
    id: r.group_id,
    basis: groupBasisColumn(r.group_basis),
    confidence: r.group_confidence ?? 0,
    legs: r.group_legs,
    leg: r.group_leg,
    callIds: r.group_call_ids ?? [],
    note: r.group_note ?? "",
  };
}

function toCallRow(r: CallRowSql): CallIndexRow {
  const group = groupOf(r);
  return {
    ordinal: r.ordinal,
    callId: r.call_id,
    ...(r.from_uri !== null ? { from: r.from_uri } : {}),
    ...(r.to_uri !== null ? { to: r.to_uri } : {}),
    startTime: r.start_time,
    endTime: r.end_time,
    outcome: outcomeColumn(r.outcome),
    ...(r.final_status !== null ? { finalStatus: r.final_status } : {}),
    findingCodes: findingCodesColumn(r.finding_codes),
    causes487: causeCodesColumn(r.cause_codes ?? []),
    messageCount: r.message_count,
    hosts: r.hosts,
    branches: r.branches,
    ...(group ? { group } : {}),
  };
}

/** `%text%` for ILIKE, with the pattern characters of the text taken literally. */
const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Reads the stored parts of an analysis (calls, message blocks, findings). Unchecked: every
 * caller has established that the reader may see analysis `analysisId` (own it, or hold a live share).
 */
export function createPartsRepository(prisma: PrismaClient) {
  /** Inflated message summaries by "analysisId/block": the window and message routes read neighbouring blocks again and again. */
  const summaries = new Lru<string, Promise<MessageSummary[] | null>>(64);

  function blockSummaries(analysisId: string, block: number): Promise<MessageSummary[] | null> {
    const key = `${analysisId}/${block}`;
    const cached = summaries.get(key);
    if (cached) return cached;
    const loading = prisma.analysisMessageBlock
      .findUnique({ where: { analysisId_block: { analysisId, block } }, select: { summariesGz: true } })
      .then((row) => (row ? inflateJson<MessageSummary[]>(row.summariesGz) : null));
    summaries.set(key, loading);
    // A failed read must not stay cached.
    loading.catch(() => summaries.delete(key));
    return loading;
  }

  return {
    async calls(analysisId: string, q: CallQuery): Promise<CallListPage> {
      const filters: Prisma.Sql[] = [Prisma.sql`analysis_id = ${analysisId}`];
      if (q.outcome) filters.push(Prisma.sql`outcome = ${q.outcome}`);
      if (q.finding) filters.push(Prisma.sql`${q.finding} = ANY(finding_codes)`);
      if (q.cause) filters.push(Prisma.sql`${q.cause} = ANY(cause_codes)`);
      // The calls a pattern covers, by the Call-IDs stored with it (a semi-join: a pattern may name tens of thousands).
      if (q.pattern) {
        filters.push(Prisma.sql`call_id IN (SELECT unnest(call_ids) FROM analysis_finding WHERE analysis_id = ${analysisId} AND finding_id = ${q.pattern})`);
      }
      if (q.group) filters.push(Prisma.sql`group_id = ${q.group}`);
      if (q.ordinals) filters.push(Prisma.sql`ordinal = ANY(${[...q.ordinals]}::int[])`);
      // Calls overlapping [from, to]; a call with one time is a point.
      if (q.from !== undefined) filters.push(Prisma.sql`COALESCE(end_time, start_time) >= ${q.from}`);
      if (q.to !== undefined) filters.push(Prisma.sql`COALESCE(start_time, end_time) <= ${q.to}`);
      if (q.q) filters.push(Prisma.sql`search LIKE ${containsPattern(q.q)}`);
      const where = Prisma.join(filters, " AND ");
      const after = q.after === null ? Prisma.empty : Prisma.sql`AND ordinal > ${q.after}`;
      const [rows, counted] = await Promise.all([
        prisma.$queryRaw<CallRowSql[]>`
          SELECT ordinal, call_id, from_uri, to_uri, start_time, end_time, outcome, final_status, finding_codes, cause_codes, message_count, hosts, branches,
            group_id, group_basis, group_confidence, group_legs, group_leg, group_call_ids, group_note
          FROM analysis_call WHERE ${where} ${after} ORDER BY ordinal LIMIT ${q.limit + 1}`,
        prisma.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM analysis_call WHERE ${where}`,
      ]);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map(toCallRow),
        total: counted[0]?.n ?? 0,
        nextCursor: rows.length > q.limit && last ? String(last.ordinal) : null,
      };
    },

    /** The CallDetail as stored (JSON bytes, inflated), or null. */
    async callJson(analysisId: string, ordinal: number): Promise<Buffer | null> {
      const row = await prisma.analysisCall.findUnique({ where: { analysisId_ordinal: { analysisId, ordinal } }, select: { detailGz: true } });
      return row ? gunzipAsync(row.detailGz) : null;
    },

    async message(analysisId: string, index: number): Promise<MessageDetail | null> {
      const block = Math.floor(index / MESSAGE_BLOCK_SIZE);
      const [list, rawRow] = await Promise.all([
        blockSummaries(analysisId, block),
        prisma.analysisMessageBlock.findUnique({ where: { analysisId_block: { analysisId, block } }, select: { rawGz: true, firstIndex: true } }),
      ]);
      if (!list || !rawRow) return null;
      const summary = list[index - rawRow.firstIndex];
      const raw = (await inflateJson<string[]>(rawRow.rawGz))[index - rawRow.firstIndex];
      if (!summary || raw === undefined) return null;
      return { ...summary, raw, headers: parseSipMessage(raw).headers.map((h) => ({ name: h.name, value: h.value })) };
    },

    /** `count` consecutive messages from index `start`, or from the first message at/after `time`, as ladder rows. */
    async window(analysisId: string, messageCount: number, q: { start?: number | undefined; time?: number | undefined; count: number }): Promise<TraceWindow> {
      let start = q.start ?? 0;
      if (q.start === undefined && q.time !== undefined) start = await this.firstIndexAt(analysisId, q.time, messageCount);
      const end = Math.min(messageCount, start + q.count);
      const messages: MessageSummary[] = [];
      for (let block = Math.floor(start / MESSAGE_BLOCK_SIZE); block * MESSAGE_BLOCK_SIZE < end; block++) {
        const list = await blockSummaries(analysisId, block);
        if (!list) break;
        for (const m of list) if (m.index >= start && m.index < end) messages.push(m);
      }
      return { start, messageCount, messages, rows: ladderRowsOf(messages) };
    },

    /** Index of the first message at or after `time` (blocks are in trace order); the end when none. */
    async firstIndexAt(analysisId: string, time: number, messageCount: number): Promise<number> {
      const rows = await prisma.$queryRaw<Array<{ block: number }>>`
        SELECT block FROM analysis_message_block WHERE analysis_id = ${analysisId} AND end_time >= ${time} ORDER BY block LIMIT 1`;
      const block = rows[0]?.block;
      if (block === undefined) return messageCount;
      const list = (await blockSummaries(analysisId, block)) ?? [];
      return list.find((m) => m.time !== null && m.time >= time)?.index ?? list[0]?.index ?? messageCount;
    },

    /** The Call-IDs of calls by ordinal (those that exist). */
    async callIdsOf(analysisId: string, ordinals: readonly number[]): Promise<string[]> {
      const rows = await prisma.analysisCall.findMany({
        where: { analysisId, ordinal: { in: [...ordinals] } },
        select: { callId: true },
        orderBy: { ordinal: "asc" },
      });
      return rows.map((r) => r.callId);
    },

    /** The ordinals of a call and of every other leg of its correlated call; empty when there is no such call. */
    async legsOf(analysisId: string, ordinal: number): Promise<number[]> {
      const call = await prisma.analysisCall.findUnique({ where: { analysisId_ordinal: { analysisId, ordinal } }, select: { groupId: true } });
      if (!call) return [];
      if (!call.groupId) return [ordinal];
      const legs = await prisma.analysisCall.findMany({ where: { analysisId, groupId: call.groupId }, select: { ordinal: true }, orderBy: { ordinal: "asc" } });
      return legs.map((l) => l.ordinal);
    },

    /** Ids of the findings that name only calls among `callIds`. */
    async findingIdsWithin(analysisId: string, callIds: readonly string[]): Promise<string[]> {
      const rows = await prisma.$queryRaw<Array<{ finding_id: string }>>`
        SELECT finding_id FROM analysis_finding
        WHERE analysis_id = ${analysisId} AND ordinal IS NOT NULL AND cardinality(call_ids) > 0 AND call_ids <@ ${[...callIds]}::text[]`;
      return rows.map((r) => r.finding_id);
    },

    async findings(analysisId: string, q: FindingQuery): Promise<FindingListPage> {
      const within = q.within ? { findingId: { in: await this.findingIdsWithin(analysisId, q.within) } } : {};
      const where: Prisma.AnalysisFindingWhereInput = { analysisId, ordinal: { not: null }, ...(q.code ? { code: q.code } : {}), ...within };
      const [rows, total] = await Promise.all([
        prisma.analysisFinding.findMany({
          where: { ...where, ...(q.after !== null ? { ordinal: { gt: q.after } } : {}) },
          select: { ordinal: true, dataGz: true },
          orderBy: { ordinal: "asc" },
          take: q.limit + 1,
        }),
        prisma.analysisFinding.count({ where }),
      ]);
      const page = rows.slice(0, q.limit);
      // Decoded here, not only by the response schema: the schema's tolerance of rows written by an
      // older analyzer (a detail of another type reads as absent) applies when parsing, not when encoding.
      const items = await Promise.all(page.map(async (r) => (r.dataGz ? (findingSchema.safeParse(await inflateJson(r.dataGz)).data ?? null) : null)));
      const last = page.at(-1);
      return {
        items: items.filter((f): f is Finding => f !== null),
        total,
        nextCursor: rows.length > q.limit && last?.ordinal != null ? String(last.ordinal) : null,
      };
    },
  };
}

export type PartsRepository = ReturnType<typeof createPartsRepository>;
