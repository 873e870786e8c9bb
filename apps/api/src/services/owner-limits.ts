import type { AppConfig } from "../config/env.js";
import { HttpError } from "../errors.js";
import type { Actor } from "../repositories/actor.js";
import type { AnalysesRepository } from "../repositories/analyses.js";
import type { JobsRepository } from "../repositories/jobs.js";

type Owner = { ownerId: string } | { ownerId: null; anonKeyHash: string };

/** Who a quota counts for: the account when signed in, else the browser (null: nobody to count). */
function ownerOf(actor: Actor): Owner | null {
  if (actor.userId) return { ownerId: actor.userId };
  return actor.anonKeyHash ? { ownerId: null, anonKeyHash: actor.anonKeyHash } : null;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

const analysesText = (n: number) => `${n} ${n === 1 ? "analysis" : "analyses"}`;

/**
 * What one owner may keep and have waiting: a storage quota (analyses and input bytes, queued jobs
 * included) and a queue depth, so one browser or account can neither fill the disk nor the queue.
 * Each refusal says what is used and what is allowed.
 */
export function createOwnerLimits(d: { config: AppConfig; analyses: AnalysesRepository; jobs: JobsRepository }) {
  const allowedFor = (owner: Owner) =>
    owner.ownerId
      ? { analyses: d.config.QUOTA_ACCOUNT_ANALYSES, bytes: d.config.QUOTA_ACCOUNT_BYTES, who: "this account", more: "delete some to make room" }
      : { analyses: d.config.QUOTA_ANON_ANALYSES, bytes: d.config.QUOTA_ANON_BYTES, who: "this browser", more: "delete some, or sign in for more room" };

  return {
    /**
     * Throws 429 when the owner has too many jobs waiting or no analysis left in its quota, and 413
     * when `incomingBytes` more would not fit its storage quota.
     */
    async admit(actor: Actor, incomingBytes = 0): Promise<void> {
      const owner = ownerOf(actor);
      if (!owner) return;
      // A new anonymous key is one cleared cookie away: the client's address bounds them all together.
      const address = !owner.ownerId && actor.clientKey ? { ownerId: null, clientKey: actor.clientKey } : null;
      const [kept, pending, fromAddress] = await Promise.all([d.analyses.usageOf(owner), d.jobs.pendingOf(owner), address && d.jobs.pendingOf(address)]);
      const allowed = allowedFor(owner);
      if (fromAddress && fromAddress.jobs >= d.config.JOB_QUEUE_MAX_PER_IP) {
        throw new HttpError(
          429,
          "quota-exceeded",
          `your address has ${analysesText(fromAddress.jobs)} waiting or running; at most ${d.config.JOB_QUEUE_MAX_PER_IP} at a time are allowed from one address without an account: wait for one to finish, or sign in`,
        );
      }
      if (pending.jobs >= d.config.JOB_QUEUE_MAX_PER_OWNER) {
        throw new HttpError(
          429,
          "quota-exceeded",
          `${allowed.who} has ${analysesText(pending.jobs)} waiting or running; at most ${d.config.JOB_QUEUE_MAX_PER_OWNER} at a time are allowed: wait for one to finish`,
        );
      }
      const analyses = kept.analyses + pending.jobs;
      const bytes = kept.bytes + pending.bytes;
      const usage = `${allowed.who} keeps ${analysesText(analyses)} using ${formatBytes(bytes)}; ${analysesText(allowed.analyses)} and ${formatBytes(allowed.bytes)} are allowed`;
      if (analyses >= allowed.analyses) throw new HttpError(429, "quota-exceeded", `${usage}: ${allowed.more}`);
      if (bytes >= allowed.bytes || bytes + incomingBytes > allowed.bytes) {
        const needs = incomingBytes ? ` (this input needs ${formatBytes(incomingBytes)})` : "";
        throw new HttpError(413, "quota-exceeded", `${usage}${needs}: ${allowed.more}`);
      }
    },
  };
}
