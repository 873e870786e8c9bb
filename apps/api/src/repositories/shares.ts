import type { SharedAnalysis, ShareSummary } from "@siplens/contracts";
import { Prisma, type PrismaClient } from "@siplens/db";
import { newRedactionKey } from "../lib/pseudonyms.js";
import { ownedBy, type Actor } from "./actor.js";

export interface NewShare {
  id: string;
  analysisId: string;
  tokenHash: string;
  title: string;
  redacted: boolean;
  focusFindingId: string | null;
  focusMessageIndex: number | null;
  expiresAt: Date | null;
  /** Secret of the share's pseudonyms (redacted shares). */
  redactionKey: Uint8Array<ArrayBuffer> | null;
  /** Seconds every absolute time is moved by (shift times); null = as captured. */
  timeShiftSeconds: number | null;
  /** The calls a link to one call shows (every leg); empty for the whole trace. */
  scopeOrdinals: number[];
}

/** A live share: what it shows (its analysis, read in parts) and how (redacted with its key). */
export interface OpenShare {
  analysisId: string;
  partsVersion: number;
  messageCount: number;
  /** Null when not redacted. */
  redactionKey: Uint8Array | null;
  timeShiftSeconds: number | null;
  /** The calls a link to one call shows; empty for the whole trace. */
  scopeOrdinals: number[];
  meta: Omit<SharedAnalysis, "overview">;
}

interface OpenShareRow {
  id: string;
  analysis_id: string;
  parts_version: number;
  message_count: number;
  title: string;
  created_at: Date;
  expires_at: Date | null;
  focus_finding_id: string | null;
  focus_message_index: number | null;
  redacted: boolean;
  redaction_key: Uint8Array | null;
  time_shift_seconds: number | null;
  scope_ordinals: number[] | null;
}

const summarySelect = {
  id: true,
  analysisId: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  views: true,
  redacted: true,
  focusFindingId: true,
  focusMessageIndex: true,
  scopeOrdinals: true,
} as const;

type SummaryRow = {
  id: string;
  analysisId: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  views: number;
  redacted: boolean;
  focusFindingId: string | null;
  focusMessageIndex: number | null;
  scopeOrdinals: number[];
};

function toSummary(row: SummaryRow, scopeCallIds: string[]): ShareSummary {
  return {
    id: row.id,
    analysisId: row.analysisId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    views: row.views,
    redact: row.redacted,
    focusFindingId: row.focusFindingId,
    focusMessageIndex: row.focusMessageIndex,
    scope: row.scopeOrdinals.length ? "call" : "trace",
    scopeCallIds,
  };
}

export function createSharesRepository(prisma: PrismaClient) {
  /** The Call-IDs a share's scope names (the owner's list says which call a link shows). */
  const scopeCallIds = async (row: SummaryRow): Promise<string[]> => {
    if (!row.scopeOrdinals.length) return [];
    const calls = await prisma.analysisCall.findMany({
      where: { analysisId: row.analysisId, ordinal: { in: row.scopeOrdinals } },
      select: { callId: true },
      orderBy: { ordinal: "asc" },
    });
    return calls.map((c) => c.callId);
  };
  const summaryOf = async (row: SummaryRow) => toSummary(row, await scopeCallIds(row));

  return {
    /** The share reads the analysis's stored parts: nothing is copied. */
    async create(s: NewShare): Promise<ShareSummary> {
      const row = await prisma.share.create({
        select: summarySelect,
        data: {
          id: s.id,
          analysisId: s.analysisId,
          tokenHash: s.tokenHash,
          title: s.title,
          redacted: s.redacted,
          focusFindingId: s.focusFindingId,
          focusMessageIndex: s.focusMessageIndex,
          expiresAt: s.expiresAt,
          redactionKey: s.redactionKey,
          timeShiftSeconds: s.timeShiftSeconds,
          scopeOrdinals: s.scopeOrdinals,
        },
      });
      return summaryOf(row);
    },

    async list(analysisId: string): Promise<ShareSummary[]> {
      const rows = await prisma.share.findMany({ where: { analysisId }, select: summarySelect, orderBy: { createdAt: "desc" } });
      return Promise.all(rows.map(summaryOf));
    },

    /** Revokes a share of an analysis the actor owns; false when there is none (or it is not theirs). */
    async revoke(shareId: string, actor: Actor, now = new Date()): Promise<boolean> {
      const share = await prisma.share.findFirst({ where: { id: shareId, analysis: ownedBy(actor) }, select: { id: true, revokedAt: true } });
      if (!share) return false;
      if (!share.revokedAt) await prisma.share.update({ where: { id: shareId }, data: { revokedAt: now } });
      return true;
    },

    /**
     * The live share of a token hash (not revoked, not expired), or null; `countView` counts the
     * opening of the shared page (its part reads do not count).
     */
    async open(tokenHash: string, opts: { countView: boolean }, now = new Date()): Promise<OpenShare | null> {
      // An anonymous analysis past its expiry is gone, and so are its links, before the purge deletes it.
      const live = Prisma.sql`s.token_hash = ${tokenHash} AND s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > ${now})
        AND (a.expires_at IS NULL OR a.expires_at > ${now})`;
      const columns = Prisma.sql`s.id, s.analysis_id, a.parts_version, a.message_count, s.title, s.created_at, s.expires_at,
        s.focus_finding_id, s.focus_message_index, s.redacted, s.redaction_key, s.time_shift_seconds, s.scope_ordinals`;
      const rows = opts.countView
        ? await prisma.$queryRaw<OpenShareRow[]>`
            UPDATE share s SET views = views + 1 FROM analysis a WHERE a.id = s.analysis_id AND ${live} RETURNING ${columns}`
        : await prisma.$queryRaw<OpenShareRow[]>`SELECT ${columns} FROM share s JOIN analysis a ON a.id = s.analysis_id WHERE ${live}`;
      const row = rows[0];
      if (!row) return null;
      let key = row.redaction_key;
      if (row.redacted && !key) key = await this.legacyKey(row.id);
      return {
        analysisId: row.analysis_id,
        partsVersion: row.parts_version,
        messageCount: row.message_count,
        redactionKey: row.redacted ? key : null,
        timeShiftSeconds: row.time_shift_seconds,
        scopeOrdinals: row.scope_ordinals ?? [],
        meta: {
          title: row.title,
          sharedAt: row.created_at.toISOString(),
          expiresAt: row.expires_at?.toISOString() ?? null,
          focusFindingId: row.focus_finding_id,
          focusMessageIndex: row.focus_message_index,
          redacted: row.redacted,
          timesShifted: row.time_shift_seconds !== null,
          scope: row.scope_ordinals?.length ? "call" : "trace",
        },
      };
    },

    /** A redacted share made before parts (a snapshot, no key) gets its key on first open; concurrent openers agree on one. */
    async legacyKey(shareId: string): Promise<Uint8Array> {
      await prisma.$executeRaw`UPDATE share SET redaction_key = ${newRedactionKey()} WHERE id = ${shareId} AND redaction_key IS NULL`;
      const row = await prisma.share.findUniqueOrThrow({ where: { id: shareId }, select: { redactionKey: true } });
      if (!row.redactionKey) throw new Error("share without redaction key");
      return row.redactionKey;
    },
  };
}

export type SharesRepository = ReturnType<typeof createSharesRepository>;
