import type { z } from "zod";
import { MAX_PART_PAGE, type AnalysisOverview, type CallDetail, type createShareBodySchema, type SharedAnalysis, type ShareCreated } from "@siplens/contracts";
import { badRequest, notFound } from "../errors.js";
import { callScopeOverview } from "../lib/call-scope-overview.js";
import type { Gate } from "../lib/gate.js";
import { randomId, sha256Hex } from "../lib/ids.js";
import { inflateJson, spliceJson } from "../lib/json-splice.js";
import { newRedactionKey } from "../lib/pseudonyms.js";
import { newTimeShift } from "../lib/time-shift.js";
import type { Actor } from "../repositories/actor.js";
import type { AnalysesRepository } from "../repositories/analyses.js";
import type { PartsRepository } from "../repositories/parts.js";
import type { SharesRepository } from "../repositories/shares.js";
import type { JobRunner } from "./job-runner.js";
import { callScopeOf, shareRedactor, viewed } from "./share-view.js";

const DAY_MS = 24 * 3600 * 1000;

type CreateShare = z.output<typeof createShareBodySchema>;

interface Deps {
  analyses: AnalysesRepository;
  parts: PartsRepository;
  shares: SharesRepository;
  jobRunner: Pick<JobRunner, "ensureParts">;
  /** Bounds building redacted, shifted or scoped views (each parses and rebuilds an overview). */
  heavyWork: Gate;
}

/** Making share links and opening them: what a link may show is decided here, the routes only carry it. */
export function createShareService(d: Deps) {
  /** A link to one call must open on something of that call: its finding, its message. */
  async function checkFocusInScope(ordinal: number, ordinals: number[], analysisId: string, body: Pick<CreateShare, "focusFindingId" | "focusMessageIndex">) {
    if (!ordinals.length) throw badRequest(`scopeCallOrdinal ${ordinal}: the analysis has no such call`);
    const scope = await callScopeOf(d.parts, analysisId, ordinals);
    if (!scope) return;
    if (body.focusFindingId !== undefined && !(await d.parts.findingIdsWithin(analysisId, scope.callIds)).includes(body.focusFindingId)) {
      throw badRequest(`focusFindingId "${body.focusFindingId}" is not about call ${ordinal} alone: share the whole trace to show it`);
    }
    if (body.focusMessageIndex !== undefined) {
      const message = await d.parts.message(analysisId, body.focusMessageIndex);
      if (!message || !scope.callIds.includes(message.callId))
        throw badRequest(`focusMessageIndex ${body.focusMessageIndex} is not a message of call ${ordinal}`);
    }
  }

  /** The overview a share shows: the analysis's, or for a link to one call, that call's alone. */
  async function sharedOverview(analysisId: string, ordinals: readonly number[], overviewGz: Uint8Array): Promise<AnalysisOverview | null> {
    const scope = await callScopeOf(d.parts, analysisId, ordinals);
    if (!scope) return null;
    const overview = await inflateJson<AnalysisOverview>(overviewGz);
    const details = await Promise.all(
      scope.ordinals.map(async (o) => JSON.parse((await d.parts.callJson(analysisId, o))?.toString("utf8") ?? "null") as CallDetail | null),
    );
    const findings = await d.parts.findings(analysisId, { within: scope.callIds, after: null, limit: MAX_PART_PAGE });
    return callScopeOverview(
      overview,
      details.filter((c): c is CallDetail => c !== null),
      findings.items,
    );
  }

  return {
    /** A new link to the actor's analysis; its token is in the answer only, the database keeps its hash. */
    async create(analysisId: string, actor: Actor, body: CreateShare): Promise<ShareCreated> {
      const access = await d.analyses.access(analysisId, actor);
      if (!access) throw notFound();
      // A legacy analysis is stored in parts first: the share reads them (and the finding ids are the parts').
      await d.jobRunner.ensureParts(access);
      const analysis = await d.analyses.summary(analysisId, actor);
      if (!analysis) throw notFound();
      const { focusFindingId, focusMessageIndex, expiresInDays, redact, shiftTimes, scopeCallOrdinal } = body;
      if (focusMessageIndex !== undefined && focusMessageIndex >= analysis.messageCount) {
        throw badRequest(`focusMessageIndex ${focusMessageIndex} is out of range (the trace has ${analysis.messageCount} messages)`);
      }
      if (focusFindingId !== undefined) {
        const facts = await d.analyses.messageCountAndFinding(analysis.id, focusFindingId);
        if (!facts?.findingExists) throw badRequest(`the analysis has no finding "${focusFindingId}"`);
      }
      const scopeOrdinals = scopeCallOrdinal === undefined ? [] : await d.parts.legsOf(analysis.id, scopeCallOrdinal);
      if (scopeCallOrdinal !== undefined) await checkFocusInScope(scopeCallOrdinal, scopeOrdinals, analysis.id, body);
      const redactionKey = redact ? newRedactionKey() : null;
      let title = analysis.title;
      const redactor = shareRedactor(redactionKey);
      if (redactor) {
        // The title often names the callee ("INVITE sip:+4930…@…"): it gets the parts' pseudonyms.
        const overview = await d.analyses.overviewGz(analysis.id);
        if (overview) await d.heavyWork.run(async () => redactor.part(await inflateJson(overview)));
        title = redactor.text(analysis.title);
      }
      const token = randomId();
      const share = await d.shares.create({
        id: randomId(),
        analysisId: analysis.id,
        tokenHash: sha256Hex(token),
        title,
        redacted: redact,
        focusFindingId: focusFindingId ?? null,
        focusMessageIndex: focusMessageIndex ?? null,
        expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * DAY_MS) : null,
        redactionKey,
        timeShiftSeconds: shiftTimes ? newTimeShift() : null,
        scopeOrdinals,
      });
      return { ...share, token, url: `/s/${token}` };
    },

    /**
     * Opens a link (counting the view): its metadata and the overview it shows, redacted, shifted or
     * scoped as the link says. A plain link's answer is JSON bytes with the stored overview spliced
     * in unparsed.
     */
    async open(token: string): Promise<SharedAnalysis | Buffer> {
      const share = await d.shares.open(sha256Hex(token), { countView: true });
      if (!share) throw notFound("shared analysis (the link may have expired or been revoked)");
      await d.jobRunner.ensureParts({ id: share.analysisId, partsVersion: share.partsVersion, messageCount: share.messageCount });
      const overview = await d.analyses.overviewGz(share.analysisId);
      if (!overview) throw notFound("shared analysis");
      const view = { redactor: shareRedactor(share.redactionKey), timeShift: share.timeShiftSeconds };
      const transformed = view.redactor || view.timeShift !== null;
      // Stored as it is: spliced without parsing. Any other view parses and rebuilds the overview, in a bounded number at once.
      if (!transformed && !share.scopeOrdinals.length) return spliceJson(share.meta, "overview", overview);
      const shown = await d.heavyWork.run(async () => {
        const scoped = await sharedOverview(share.analysisId, share.scopeOrdinals, overview);
        if (scoped) return transformed ? viewed(view, scoped) : scoped;
        return viewed(view, await inflateJson<AnalysisOverview>(overview));
      });
      return { ...share.meta, overview: shown };
    },
  };
}

export type ShareService = ReturnType<typeof createShareService>;
