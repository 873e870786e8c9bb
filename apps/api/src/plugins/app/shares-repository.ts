import fp from "fastify-plugin";
import type { SharedAnalysis, ShareSummary } from "@siplens/contracts";
import type { PrismaClient } from "@siplens/db";
import { spliceJson } from "../../lib/json-splice.js";
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
  /** Pseudonymised result (gzip JSON); null = snapshot the analysis result as it is. */
  redactedGz: Uint8Array | null;
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
};

function toSummary(row: SummaryRow): ShareSummary {
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
  };
}

export function createSharesRepository(prisma: PrismaClient) {
  return {
    /** Freezes the snapshot in the same statement that creates the share. */
    async create(s: NewShare): Promise<ShareSummary> {
      await prisma.$executeRaw`
        INSERT INTO share (id, analysis_id, token_hash, title, redacted, focus_finding_id, focus_message_index, snapshot_gz, expires_at)
        SELECT ${s.id}, a.id, ${s.tokenHash}, ${s.title}, ${s.redacted}, ${s.focusFindingId}, ${s.focusMessageIndex},
               COALESCE(${s.redactedGz}::bytea, a.result_gz), ${s.expiresAt}
        FROM analysis a WHERE a.id = ${s.analysisId}`;
      const row = await prisma.share.findUniqueOrThrow({ where: { id: s.id }, select: summarySelect });
      return toSummary(row);
    },

    async list(analysisId: string): Promise<ShareSummary[]> {
      const rows = await prisma.share.findMany({ where: { analysisId }, select: summarySelect, orderBy: { createdAt: "desc" } });
      return rows.map(toSummary);
    },

    /** Revokes a share of an analysis the actor owns; false when there is none (or it is not theirs). */
    async revoke(shareId: string, actor: Actor, now = new Date()): Promise<boolean> {
      const share = await prisma.share.findFirst({ where: { id: shareId, analysis: ownedBy(actor) }, select: { id: true, revokedAt: true } });
      if (!share) return false;
      if (!share.revokedAt) await prisma.share.update({ where: { id: shareId }, data: { revokedAt: now } });
      return true;
    },

    /** Opens a live share by token hash and counts the view, as JSON bytes with the snapshot spliced in. */
    async openJson(tokenHash: string, now = new Date()): Promise<Buffer | null> {
      const rows = await prisma.$queryRaw<
        Array<{ title: string; created_at: Date; expires_at: Date | null; focus_finding_id: string | null; focus_message_index: number | null; redacted: boolean; snapshot_gz: Uint8Array }>
      >`
        UPDATE share SET views = views + 1
        WHERE token_hash = ${tokenHash} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})
        RETURNING title, created_at, expires_at, focus_finding_id, focus_message_index, redacted, snapshot_gz`;
      const row = rows[0];
      if (!row) return null;
      const meta: Omit<SharedAnalysis, "result"> = {
        title: row.title,
        sharedAt: row.created_at.toISOString(),
        expiresAt: row.expires_at?.toISOString() ?? null,
        focusFindingId: row.focus_finding_id,
        focusMessageIndex: row.focus_message_index,
        redacted: row.redacted,
      };
      return spliceJson(meta, "result", row.snapshot_gz);
    },
  };
}

export type SharesRepository = ReturnType<typeof createSharesRepository>;

declare module "fastify" {
  interface FastifyInstance {
    shares: SharesRepository;
  }
}

export default fp(
  async (app) => {
    app.decorate("shares", createSharesRepository(app.prisma));
  },
  { name: "shares-repository", dependencies: ["db"] },
);
