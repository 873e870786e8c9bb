/**
 * Transaction matching keys (RFC 3261 §17.1.3, §17.2.3).
 * A key is branch + sent-by + method, with ACK folded into INVITE so a non-2xx ACK finds its
 * INVITE. Requests without the RFC 3261 magic cookie fall back to the RFC 2543 rule
 * (Call-ID, From tag, CSeq number, sent-by).
 */
import type { ModelVia as Via } from "./types.js";

const MAGIC_COOKIE = "z9hG4bK";

/** "host:port" as written in the Via (port left empty when absent, so both sides compare alike). */
export function sentByOf(via: Via | undefined): string {
  if (!via) return "";
  return `${via.host.toLowerCase()}:${via.port ?? ""}`;
}

function hasRfc3261Branch(via: Via | undefined): boolean {
  return via?.branch !== undefined && via.branch.startsWith(MAGIC_COOKIE);
}

/** What identifies the dialog-less parts of a request for the RFC 2543 fallback. */
export interface LegacyTxFields {
  callId: string;
  cseq: number;
  fromTag?: string;
}

/**
 * Which hop's transaction a Via names, before the method: branch + sent-by for an RFC 3261
 * branch (§17.2.3), else the RFC 2543 fallback (Call-ID, CSeq number, From tag, sent-by), so an
 * RFC 2543 peer that reuses one branch value for every request is told apart by CSeq. The model
 * and the diagnosis both key transactions with this, so they never disagree on one.
 */
export function hopKey(via: Via | undefined, legacy: LegacyTxFields): string {
  if (via && hasRfc3261Branch(via)) return `${via.branch}|${sentByOf(via)}`;
  return `2543|${legacy.callId}|${legacy.cseq}|${legacy.fromTag ?? ""}|${sentByOf(via)}`;
}

/**
 * Key of the transaction a message with this top Via and method belongs to.
 * `method` is the request method, or the CSeq method for a response.
 */
export function transactionKey(via: Via | undefined, method: string, legacy: LegacyTxFields): string {
  return `${hopKey(via, legacy)}|${method === "ACK" ? "INVITE" : method}`;
}

/** Key of the transaction a 2xx ACK creates on its own (it is not part of the INVITE transaction). */
export function ackTransactionKey(via: Via | undefined, legacy: LegacyTxFields): string {
  return `${hopKey(via, legacy)}|ACK`;
}

/**
 * "branch|sent-by" of the Via at `position`, when it carries an RFC 3261 branch. The second Via of a
 * forwarded request is the upstream request's top Via (RFC 3261 §16.6 step 8), so
 * `viaBaseKey(vias[1]) + "|" + method` is the key of the upstream transaction.
 */
export function viaBaseKey(via: Via | undefined): string | undefined {
  if (!via || !hasRfc3261Branch(via)) return undefined;
  return `${via.branch}|${sentByOf(via)}`;
}

/** Dialog key independent of direction: Call-ID plus the two tags in a fixed order. */
export function dialogKey(callId: string, tagA: string, tagB: string): string {
  return tagA < tagB ? `${callId}|${tagA}|${tagB}` : `${callId}|${tagB}|${tagA}`;
}
