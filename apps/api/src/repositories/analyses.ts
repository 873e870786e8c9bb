import type { AnalysisSummary, FindingCode, JobState } from "@siplens/contracts";
import { ANONYMOUS_RETENTION_DAYS } from "@siplens/contracts";
import type { Prisma, PrismaClient } from "@siplens/db";
import { encodeCursor, type ListCursor } from "../lib/cursor.js";
import { spliceJson } from "../lib/json-splice.js";
import type { AnalysisOutput, NewAnalysisMeta } from "../workers/protocol.js";
import { ownedBy, type Actor } from "./actor.js";
import { findingCodeColumn, formatColumn } from "./columns.js";

type Db = PrismaClient | Prisma.TransactionClient;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface NewAnalysis extends NewAnalysisMeta {
  output: AnalysisOutput;
  /** The AnalysisOverview, gzip JSON; the other parts are written by writeParts in the same transaction. */
  overviewGz: Uint8Array<ArrayBuffer>;
}

/** An analysis the actor may read, and whether its parts exist yet (0 = legacy whole result only). */
export interface AnalysisAccess {
  id: string;
  partsVersion: number;
  messageCount: number;
}

/**
 * Parts written by this version of the API; an analysis stored with an older one is re-analysed
 * from its input when opened. 2: finding details typed by code (a timer named only when the
 * interval matches it), calls carry the causes of their 487s, 487s are counted under their most
 * decisive finding, findings are numbered patterns first and name their evidence's frames, call
 * details carry their own lanes, the overview its time precision.
 */
export const PARTS_VERSION = 2;

const metaSelect = {
  id: true,
  ownerId: true,
  anonKeyHash: true,
  title: true,
  note: true,
  format: true,
  formatName: true,
  inputBytes: true,
  sha256: true,
  messageCount: true,
  callCount: true,
  findingCount: true,
  createdAt: true,
  updatedAt: true,
  expiresAt: true,
} satisfies Prisma.AnalysisSelect;

/**
 * The actor's analysis, unless it is an anonymous one past its expiry: that reads as gone (404)
 * from the moment it expires, not from the next purge.
 */
function liveAndOwnedBy(actor: Actor, now = new Date()): Prisma.AnalysisWhereInput {
  return { AND: [ownedBy(actor), { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }] };
}

type MetaRow = Prisma.AnalysisGetPayload<{ select: typeof metaSelect }>;

function toSummary(row: MetaRow, findingCodes: FindingCode[]): AnalysisSummary {
  return {
    id: row.id,
    title: row.title,
    note: row.note,
    format: formatColumn(row.format),
    formatName: row.formatName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    owned: true,
    saved: row.ownerId !== null,
    inputBytes: row.inputBytes,
    sha256: row.sha256,
    messageCount: row.messageCount,
    callCount: row.callCount,
    findingCount: row.findingCount,
    findingCodes,
  };
}

/**
 * The distinct finding codes of each analysis, by SQL (GROUP BY): a list never loads the finding
 * rows themselves, of which a big analysis has thousands.
 */
async function findingCodesOf(prisma: PrismaClient, ids: string[]): Promise<Map<string, FindingCode[]>> {
  const codes = new Map<string, FindingCode[]>(ids.map((id) => [id, []]));
  if (!ids.length) return codes;
  const rows = await prisma.analysisFinding.groupBy({
    by: ["analysisId", "code"],
    where: { analysisId: { in: ids } },
    orderBy: [{ analysisId: "asc" }, { code: "asc" }],
  });
  for (const row of rows) codes.get(row.analysisId)?.push(findingCodeColumn(row.code));
  return codes;
}

/** Stores and reads analyses. Every read is scoped to an actor: not yours reads as "no such analysis". */
export function createAnalysesRepository(prisma: PrismaClient) {
  return {
    /** Inserts the analysis row (with its overview); its parts follow in the same transaction. */
    async insert(db: Db, a: NewAnalysis, now = new Date()): Promise<void> {
      const o = a.output;
      const expiresAt = a.ownerId ? null : new Date(now.getTime() + ANONYMOUS_RETENTION_DAYS * DAY_MS);
      await db.analysis.create({
        select: { id: true },
        data: {
          id: a.id,
          ownerId: a.ownerId,
          anonKeyHash: a.ownerId ? null : a.anonKeyHash,
          title: a.title,
          format: formatColumn(o.format),
          formatName: o.formatName,
          inputBytes: o.inputBytes,
          sha256: a.sha256,
          messageCount: o.messageCount,
          callCount: o.callCount,
          findingCount: o.findingCount,
          overviewGz: a.overviewGz,
          partsVersion: PARTS_VERSION,
          createdAt: now,
          updatedAt: now,
          expiresAt,
        },
      });
    },

    /** Locks a legacy analysis for its upgrade to parts; false when it is gone or already upgraded. */
    async lockLegacy(db: Db, id: string): Promise<boolean> {
      const rows = await db.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM analysis WHERE id = ${id} AND parts_version < ${PARTS_VERSION} FOR UPDATE`;
      return rows.length > 0;
    },

    /** Records the parts of an upgraded legacy analysis (title, note, owner and shares stay as they were). */
    async markParts(db: Db, id: string, o: AnalysisOutput, overviewGz: Uint8Array<ArrayBuffer>): Promise<void> {
      // Raw SQL: Prisma would bump updated_at, which tells the user when *they* last changed it.
      await db.$executeRaw`
        UPDATE analysis SET overview_gz = ${overviewGz}, parts_version = ${PARTS_VERSION}, message_count = ${o.messageCount},
               call_count = ${o.callCount}, finding_count = ${o.findingCount}
        WHERE id = ${id}`;
    },

    /** How many analyses one owner keeps, and their input bytes (its storage quota counts these). */
    async usageOf(owner: { ownerId: string } | { ownerId: null; anonKeyHash: string }): Promise<{ analyses: number; bytes: number }> {
      const r = await prisma.analysis.aggregate({ where: owner, _count: { _all: true }, _sum: { inputBytes: true } });
      return { analyses: r._count._all, bytes: r._sum.inputBytes ?? 0 };
    },

    async summary(id: string, actor: Actor): Promise<AnalysisSummary | null> {
      const row = await prisma.analysis.findFirst({ where: { id, ...liveAndOwnedBy(actor) }, select: metaSelect });
      return row ? toSummary(row, (await findingCodesOf(prisma, [row.id])).get(row.id) ?? []) : null;
    },

    /** The analysis if the actor may read it: not yours reads as null, like no such analysis. */
    async access(id: string, actor: Actor): Promise<AnalysisAccess | null> {
      return prisma.analysis.findFirst({ where: { id, ...liveAndOwnedBy(actor) }, select: { id: true, partsVersion: true, messageCount: true } });
    },

    /** AnalysisDetail as JSON bytes, the stored overview spliced in unparsed; null when not the actor's or not in parts yet. */
    async detailJson(id: string, actor: Actor): Promise<Buffer | null> {
      const summary = await this.summary(id, actor);
      if (!summary) return null;
      const overview = await this.overviewGz(id);
      if (!overview) return null;
      const { findingCodes: _codes, ...meta } = summary;
      return spliceJson(meta, "overview", overview);
    },

    /** The stored overview (gzip JSON), unchecked: callers have already established access. */
    async overviewGz(id: string): Promise<Uint8Array | null> {
      const row = await prisma.analysis.findUnique({ where: { id }, select: { overviewGz: true } });
      return row?.overviewGz ?? null;
    },

    async list(userId: string, q: { cursor: ListCursor | null; limit: number; title?: string; finding?: FindingCode }) {
      const where: Prisma.AnalysisWhereInput = {
        ownerId: userId,
        ...(q.title ? { title: { contains: q.title, mode: "insensitive" } } : {}),
        ...(q.finding ? { findings: { some: { code: q.finding } } } : {}),
        ...(q.cursor ? { OR: [{ createdAt: { lt: q.cursor.createdAt } }, { createdAt: q.cursor.createdAt, id: { lt: q.cursor.id } }] } : {}),
      };
      const rows = await prisma.analysis.findMany({
        where,
        select: metaSelect,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const codes = await findingCodesOf(
        prisma,
        page.map((r) => r.id),
      );
      const last = page.at(-1);
      return {
        items: page.map((row) => toSummary(row, codes.get(row.id) ?? [])),
        nextCursor: rows.length > q.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
      };
    },

    async update(id: string, actor: Actor, changes: { title?: string; note?: string }): Promise<AnalysisSummary | null> {
      const { count } = await prisma.analysis.updateMany({ where: { id, ...liveAndOwnedBy(actor) }, data: changes });
      return count ? this.summary(id, actor) : null;
    },

    /** Deletes the analysis, its findings, shares and stored input together. */
    async remove(id: string, actor: Actor): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.analysis.deleteMany({ where: { id, ...ownedBy(actor) } });
        if (count) await tx.analysisInputChunk.deleteMany({ where: { analysisId: id } });
        return count > 0;
      });
    },

    /**
     * Moves a browser's anonymous analyses that hold messages (and jobs that may still give one) into
     * an account, where they never expire; answers how many analyses moved. Failed jobs and empty
     * analyses stay behind and expire: an account is for analyses worth keeping.
     */
    async claimAnonymous(anonKeyHash: string, userId: string): Promise<number> {
      return prisma.$transaction(async (tx) => {
        // Jobs first: a job committing right now holds its row lock, so its analysis exists before we move analyses.
        await tx.analysisJob.updateMany({
          where: { anonKeyHash, ownerId: null, status: { not: "failed" satisfies JobState } },
          data: { ownerId: userId, anonKeyHash: null },
        });
        // Only analyses that hold messages move; an expired one is gone already (the purge has not run yet).
        const { count } = await tx.analysis.updateMany({
          where: { anonKeyHash, ownerId: null, messageCount: { gt: 0 }, expiresAt: { gt: new Date() } },
          data: { ownerId: userId, anonKeyHash: null, expiresAt: null },
        });
        return count;
      });
    },

    /** Deletes anonymous analyses past their expiry, with their stored input. */
    async purgeExpired(now = new Date()): Promise<number> {
      const rows = await prisma.$queryRaw<Array<{ n: number }>>`
        WITH gone AS (DELETE FROM analysis WHERE expires_at IS NOT NULL AND expires_at < ${now} RETURNING id),
             inputs AS (DELETE FROM analysis_input_chunk WHERE analysis_id IN (SELECT id FROM gone))
        SELECT count(*)::int AS n FROM gone`;
      return rows[0]?.n ?? 0;
    },

    async messageCountAndFinding(id: string, findingId: string | undefined) {
      const row = await prisma.analysis.findUnique({ where: { id }, select: { messageCount: true, title: true } });
      const finding = findingId ? await prisma.analysisFinding.findFirst({ where: { analysisId: id, findingId } }) : null;
      return row ? { ...row, findingExists: finding !== null } : null;
    },
  };
}

export type AnalysesRepository = ReturnType<typeof createAnalysesRepository>;
