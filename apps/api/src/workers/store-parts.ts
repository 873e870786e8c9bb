import { gunzipSync, gzipSync } from "node:zlib";
import { BlockPayloads, type BlockCodec, type ResultParts } from "@siplens/analysis";
import type { Prisma } from "@siplens/db";
import { pgText, pgTextOrNull, pgTexts } from "../lib/pg-text.js";
import { causeCodesColumn, findingCodeColumn, findingCodesColumn, groupBasisColumn, outcomeColumn, severityColumn } from "../repositories/columns.js";
import { present } from "@siplens/analysis/access";

/** Rows per createMany: big enough to keep round trips few, small enough to keep one statement's bind data modest. */
const CALL_BATCH = 500;
const FINDING_BATCH = 500;
/** Message blocks carry raw text (~1 MB before gzip each): fewer per statement. */
const BLOCK_BATCH = 8;

/** gzip JSON of one part; level 6 is as small as 9 for JSON at half the CPU. */
export const gzipJson = (value: unknown): Uint8Array<ArrayBuffer> => new Uint8Array(gzipSync(JSON.stringify(value), { level: 6 }));

/**
 * The stored form of a block's raw texts (gzip JSON string[], like every part). The worker keeps a
 * big upload's texts this way while it analyses, so each block is compressed once, as it fills,
 * and stored as it is.
 */
export const gzipJsonBlockCodec: BlockCodec = {
  encode: (texts) => gzipJson(texts),
  decode: (bytes) => JSON.parse(gunzipSync(bytes).toString("utf8")) as string[],
};

/** What the call list's substring search looks in. */
function callSearchText(row: { callId: string; from?: string | undefined; to?: string | undefined; hosts: readonly string[] }): string {
  return [row.callId, row.from ?? "", row.to ?? "", ...row.hosts].join(" ").toLowerCase();
}

/**
 * Writes an analysis's calls, message blocks and findings, one part at a time, inside the caller's
 * transaction. Nothing holds more than one batch of compressed parts: the whole result never
 * exists as one string or buffer.
 */
export async function writeParts(tx: Prisma.TransactionClient, analysisId: string, parts: ResultParts): Promise<void> {
  let calls: Prisma.AnalysisCallCreateManyInput[] = [];
  for (const d of parts.callDetails()) {
    calls.push({
      analysisId,
      ordinal: d.ordinal,
      callId: pgText(d.callId),
      fromUri: pgTextOrNull(d.from),
      toUri: pgTextOrNull(d.to),
      startTime: d.startTime,
      endTime: d.endTime,
      outcome: outcomeColumn(d.outcome),
      finalStatus: d.finalStatus ?? null,
      findingCodes: findingCodesColumn(d.findingCodes),
      causeCodes: causeCodesColumn(d.causes487 ?? []),
      messageCount: d.messageCount,
      hosts: pgTexts(d.hosts),
      branches: d.branches,
      groupId: d.group?.id ?? null,
      groupBasis: d.group ? groupBasisColumn(d.group.basis) : null,
      groupConfidence: d.group?.confidence ?? null,
      groupLegs: d.group?.legs ?? null,
      groupLeg: d.group?.leg ?? null,
      groupCallIds: pgTexts(d.group?.callIds ?? []),
      groupNote: pgTextOrNull(d.group?.note),
      search: pgText(callSearchText(d)),
      detailGz: gzipJson(d),
    });
    if (calls.length >= CALL_BATCH) {
      await tx.analysisCall.createMany({ data: calls });
      calls = [];
    }
  }
  if (calls.length) await tx.analysisCall.createMany({ data: calls });

  let blocks: Prisma.AnalysisMessageBlockCreateManyInput[] = [];
  const payloads = parts.model.payloads;
  const encoded = payloads instanceof BlockPayloads && payloads.codec === gzipJsonBlockCodec ? payloads : null;
  for (const b of parts.messageBlocks({ raw: !encoded })) {
    blocks.push({
      analysisId,
      block: b.block,
      firstIndex: b.firstIndex,
      startTime: b.startTime,
      endTime: b.endTime,
      summariesGz: gzipJson(b.messages),
      rawGz: encoded ? new Uint8Array(present(encoded.encodedBlock(b.block))) : gzipJson(b.raw),
    });
    if (blocks.length >= BLOCK_BATCH) {
      await tx.analysisMessageBlock.createMany({ data: blocks });
      blocks = [];
    }
  }
  if (blocks.length) await tx.analysisMessageBlock.createMany({ data: blocks });

  for (let at = 0; at < parts.findings.length; at += FINDING_BATCH) {
    await tx.analysisFinding.createMany({
      data: parts.findings.slice(at, at + FINDING_BATCH).map((f, i) => ({
        analysisId,
        findingId: f.id,
        ordinal: at + i,
        code: findingCodeColumn(f.code),
        severity: severityColumn(f.severity),
        title: pgText(f.title),
        callIds: pgTexts(f.callIds),
        dataGz: gzipJson(f),
      })),
    });
  }
}
