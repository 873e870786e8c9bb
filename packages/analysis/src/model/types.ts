/**
 * The internal TraceModel: a faithful, protocol-level reading of one SIP trace.
 *
 * Built incrementally in one pass (src/model/build.ts) from parsed messages, then finalised
 * (forks, hops, cancel origins, coverage). The diagnosis engine (src/diagnosis) reads it and
 * never re-parses: everything it needs about transactions, dialogs, hops and forks is here.
 *
 * Identifiers: message = its index (0-based, trace order, capture duplicates already removed);
 * transaction = "t<n>"; dialog = "d<n>"; host/lane = HostId (a string such as "10.0.0.5").
 * All times are seconds since the Unix epoch (fractional) or null when the input has no time.
 */
import type { Endpoint, FormatId, Problem, SdpSummary, Transport } from "@siplens/contracts";
import type { ReasonValue } from "../sip/types.js";
import type { CaptureSpan } from "../ingest/types.js";
import type { PayloadStore } from "./payloads.js";
import type { Correlation } from "../correlate/index.js";

/** Lane id of one network element (all ports of one IP merged), e.g. "127.0.0.1" or "[::1]". */
export type HostId = string;
/** Transaction id, "t1", "t2" … in order of first appearance. */
export type TransactionId = string;
/** Dialog id, "d1", "d2" … in order of first appearance. */
type DialogId = string;

/** What the model keeps of a Via. */
export interface ModelVia {
  transport: string;
  host: string;
  port: number | null;
  branch?: string;
  received?: string;
}

/**
 * One SIP message as it crossed the wire (retransmissions included, capture duplicates dropped):
 * a compact record of the facts matching, diagnosis and the result read. The raw text lives in
 * the model's payload store; the full header list is parsed from it on demand.
 */
export interface ModelMessage {
  /** Position in the trace (0-based), the index every piece of evidence refers to. */
  index: number;
  /** Capture/log time in epoch seconds, or null when the format has none. */
  time: number | null;
  /** Sending endpoint as captured, or null when the format does not say. */
  src: Endpoint | null;
  /** Receiving endpoint as captured, or null when the format does not say. */
  dst: Endpoint | null;
  /** Transport the message travelled on (from the capture, else from the top Via). */
  transport: Transport;
  /** Location in the input: "frame 12", "line 340". */
  where: string;
  /** 1-based capture frame number when the input is a capture. */
  frame?: number;
  /** Shortcut: true for requests, false for responses. */
  isRequest: boolean;
  /** Request method, or the CSeq method for a response. */
  method: string;
  /** Response status code (responses only). */
  status?: number;
  reasonPhrase?: string;
  requestUri?: string;
  /** Call-ID (interned: every message of a call shares one string). */
  callId: string;
  cseqSeq: number;
  cseqMethod: string;
  fromTag?: string;
  toTag?: string;
  fromUri?: string;
  toUri?: string;
  /** Every Via, top first (only what matching and diagnosis read). */
  vias: readonly ModelVia[];
  /** Reason header values (RFC 3326). */
  reason: readonly ReasonValue[];
  expires?: number;
  contentLength?: number;
  /** Real body length in bytes, to compare with Content-Length. */
  bodyLength: number;
  /** Contact URIs. */
  contacts: readonly { uri: string }[];
  /** SDP summary, when the message had an SDP body. */
  sdp?: SdpSummary;
  /** Lane of the sender: from the captured source, else inferred (see hostsInferred). */
  srcHost: HostId;
  /** Lane of the receiver: from the captured destination, else inferred. */
  dstHost: HostId;
  /** Transaction this message belongs to (RFC 3261 §17.1.3/§17.2.3 matching). Non-2xx ACKs belong to their INVITE tx. */
  transactionId?: TransactionId;
  /** Dialog (by Call-ID + tags) this message belongs to, once a To tag is known. */
  dialogId?: DialogId;
  /** Index of the first copy when this message repeats an earlier one of the same transaction (Timer A/E/G, or a repeated 2xx). */
  retransmissionOf?: number;
  /** Ladder label: "INVITE", "180 Ringing", "487 Request Terminated". */
  label: string;
  /**
   * What ties this call to its other legs across a B2BUA (correlate/), on requests that carry any
   * of it; undefined on every other message (one slot, not three: most messages have none).
   */
  links?: MessageLinks;
  /** Parser problems of this message (message is still usable). */
  problems: readonly string[];
}

/** Link header values of one request, each absent when its header is (sip/link-headers.ts). */
export interface MessageLinks {
  /** The other leg's Call-ID (X-CID, X-Call-ID, X-Orig-Call-ID). */
  otherCallId?: string;
  /** RFC 7989 Session-ID as written. */
  sessionId?: string;
  /** P-Charging-Vector icid-value (RFC 7315). */
  icid?: string;
}

/** A client/server transaction pair as seen on the wire (RFC 3261 §17). */
export interface Transaction {
  /** "t<n>". */
  id: TransactionId;
  /** Matching key: top-Via branch + sent-by + method (ACK folded into INVITE; RFC 2543 fallback when no z9hG4bK branch). */
  key: string;
  /** Method that created the transaction (INVITE, CANCEL, BYE, ACK for a 2xx ACK, …). */
  method: string;
  /** Top Via branch of the request, when present. */
  branch?: string;
  /** Top Via sent-by ("host:port") of the request. */
  sentBy: string;
  /** Top Via of the request. */
  via?: ModelVia;
  /** Call-ID of the request. */
  callId: string;
  /** CSeq number of the request. */
  cseq: number;
  /** From tag of the request. */
  fromTag?: string;
  /** To tag of the request (absent for an initial INVITE). */
  toTag?: string;
  /** Request-URI of the request. */
  requestUri?: string;
  /** Index of the first copy of the request; when the request was not captured, of the first response. */
  requestIndex: number;
  /** False when only responses of this transaction were captured. */
  requestSeen: boolean;
  /** Every copy of the request (first + retransmissions), in order. */
  requestIndices: number[];
  /** Every response, in order (provisional and final, retransmissions included). */
  responseIndices: number[];
  /** Provisional (1xx) responses, in order. */
  provisionalIndices: number[];
  /** Every final (>=200) response copy, in order (a 487 retransmitted by Timer G shows several). */
  finalIndices: number[];
  /** Index of the first final response. */
  finalIndex?: number;
  /** Status of the first final response. */
  finalStatus?: number;
  /** Statuses of later, different final responses (e.g. a late 200 after a 487: CANCEL won the race). */
  laterFinalStatuses: number[];
  /** INVITE only: ACKs for a non-2xx final that matched this transaction (same branch, §17.1.1.3). */
  ackIndices: number[];
  /** INVITE only: the CANCEL transactions matched to it (§9.2: same branch and sent-by). */
  cancelTxIds: TransactionId[];
  /** CANCEL / non-2xx ACK / 2xx ACK: the INVITE transaction it refers to (for a 2xx ACK: the dialog's INVITE tx). */
  matches?: TransactionId;
  /** CANCEL only: how it was matched ("branch" per §9.2, or "rfc2543" by Call-ID/From tag/CSeq/Request-URI), none = unmatched. */
  matchedBy?: "branch" | "rfc2543";
  /** Lane that sent the request (the client side). */
  clientHost: HostId;
  /** Lane that received the request (the server side). */
  serverHost: HostId;
  /** Transport of the first request. */
  transport: Transport;
  /** Time of the first request. */
  startTime: number | null;
  /** Time of the first final response. */
  finalTime: number | null;
  /** Dialog established or used by this transaction. */
  dialogId?: DialogId;
  /** Hop chaining: the transaction this request was forwarded from (its top Via is our second Via). */
  upstreamTxId?: TransactionId;
  /** Key ("branch|sent-by|method") of our second Via, i.e. the upstream transaction even when it was not captured. */
  upstreamViaKey?: string;
  /** Hop chaining: transactions the server of this request forwarded it into. */
  downstreamTxIds: TransactionId[];
  /** Every message index of the transaction (requests, responses, matched non-2xx ACKs), in order. */
  messageIndices: number[];
}

/** A dialog (RFC 3261 §12) identified by Call-ID + From tag + To tag; early while only 1xx carried the To tag. */
export interface Dialog {
  /** "d<n>". */
  id: DialogId;
  /** Call-ID shared by every message of the dialog. */
  callId: string;
  /** From tag of the dialog-creating request (the caller's tag). */
  fromTag: string;
  /** To tag given by the answering side. */
  toTag: string;
  /** INVITE transaction that created the dialog. */
  inviteTxId?: TransactionId;
  /** "early" while only provisional responses carried the tag, "confirmed" after a 2xx. */
  state: "early" | "confirmed";
  /** Index of the 2xx that confirmed it. */
  confirmedIndex?: number;
  /** Indices of the ACKs for a 2xx in this dialog (separate transactions, §13.2.2.4). */
  ackIndices: number[];
  /** Index of the first BYE in the dialog. */
  byeIndex?: number;
  /** Every message index that carried both tags, in order. */
  messageIndices: number[];
}

/** One forwarding step rebuilt from Via chaining: `element` received `upstreamTxId` and sent `downstreamTxIds`. */
export interface Hop {
  /** The element (proxy, SBC) that forwarded the request. */
  element: HostId;
  /** Method of the forwarded request. */
  method: string;
  /** Upstream transaction (received by the element); absent when that leg was not captured. */
  upstreamTxId?: TransactionId;
  /** Via key of the upstream transaction (always known: it is the downstream request's second Via). */
  upstreamViaKey: string;
  /** Downstream transactions the element created for it, in order of creation (several = fork or serial retry). */
  downstreamTxIds: TransactionId[];
}

/** An INVITE a proxy forked into several branches (§16.6/§16.7). */
export interface Fork {
  /** The forking element. */
  element: HostId;
  /** Upstream INVITE transaction (absent when the upstream leg was not captured). */
  upstreamTxId?: TransactionId;
  /** Downstream INVITE transactions, in order: index in this array = branchIndex. */
  branchTxIds: TransactionId[];
  /** True when a later branch started before an earlier one had its final response (parallel forking); false = serial. */
  parallel: boolean;
  /** Branch transactions that got a 2xx. */
  winnerTxIds: TransactionId[];
}

/** Who put a CANCEL on the wire and why (hop attribution through the Via chain). */
export interface CancelOrigin {
  /** The CANCEL transaction. */
  cancelTxId: TransactionId;
  /** The INVITE transaction it cancels (undefined = unmatched, 481 expected). */
  inviteTxId?: TransactionId;
  /** Lane that sent this CANCEL. */
  sender: HostId;
  /** Lane that decided to cancel: the sender itself, or further upstream when it relayed a CANCEL. */
  originator: HostId;
  /** The upstream CANCEL this one relays (the upstream INVITE tx got a CANCEL earlier). */
  relayedFromTxId?: TransactionId;
  /** "originated": the sender decided (caller or proxy timer); "relayed": it passed on an upstream CANCEL; "unknown-upstream": the sender forwarded the INVITE from a leg that was not captured, so we cannot tell. */
  kind: "originated" | "relayed" | "unknown-upstream";
  /** Index of the first CANCEL message. */
  index: number;
  /** Reason header values (RFC 3326) of the CANCEL. */
  reason: readonly ReasonValue[];
}

/** Everything known about one Call-ID. */
export interface Call {
  /** The Call-ID (a B2BUA's other leg has its own Call-ID and is a separate call). */
  callId: string;
  /** Message indices in trace order. */
  messageIndices: number[];
  /** Transactions in order of first appearance. */
  transactionIds: TransactionId[];
  /** Dialogs (early and confirmed; one per answering fork branch) in order of appearance. */
  dialogIds: DialogId[];
  /** The caller's INVITE as far as the trace saw: the last initial INVITE transaction not forwarded from a captured one (an INVITE retried after a 401/407 challenge replaces the first). */
  rootInviteTxId?: TransactionId;
  /** Every initial INVITE transaction of the call (root and its forwarded/forked copies). */
  inviteTxIds: TransactionId[];
  /** Hosts the call crossed, in order of first appearance. */
  hosts: HostId[];
  /** From / To URI of the first request. */
  fromUri?: string;
  toUri?: string;
  /** Time of the call's first / last message. */
  startTime: number | null;
  endTime: number | null;
}

/** A network element as a ladder lane. */
export interface Host {
  /** Lane id: the IP, or "ip:port" when several elements share one IP. */
  id: HostId;
  /** Readable name: the IP, with a role when it is clear ("proxy 10.0.0.1"). */
  name: string;
  /** Every "ip:port" (or inferred address) merged into this lane, in order of first appearance. */
  addresses: string[];
  /** Names the element calls itself in Via sent-by / Contact when different from its IP. */
  aliases: string[];
  /** True when this element forwarded requests (it has downstream transactions). */
  forwards: boolean;
  /** True when the lane was inferred from headers because the format had no addresses. */
  inferred: boolean;
}

/** Which legs of the SIP path the trace saw. */
export interface Coverage {
  /** Every (sender → receiver) pair that carried an INVITE or CANCEL, in order of first appearance. */
  legs: { from: HostId; to: HostId; inviteTxIds: TransactionId[] }[];
  /** Upstream legs we know existed (a forwarded request's second Via) but did not capture: via sent-by and the element that forwarded. */
  missingUpstream: { viaSentBy: string; element: HostId; txIds: TransactionId[] }[];
  /** Readable summary lines: "127.0.0.1 → 127.0.0.2 (INVITE)". */
  summary: string[];
}

/** The whole model. */
export interface TraceModel {
  /** Detected input format. */
  format: FormatId;
  /** Human name of the detected format, e.g. "pcapng (1 section, link type 1)". */
  formatName: string;
  /** Messages in trace order; messages[i].index === i. */
  messages: ModelMessage[];
  /** Raw text of every message, by index. */
  payloads: PayloadStore;
  /** Transactions in order of first appearance. */
  transactions: Transaction[];
  /** Lookup of transactions by id. */
  transactionById: Map<TransactionId, Transaction>;
  /** Dialogs in order of first appearance. */
  dialogs: Dialog[];
  /** Lookup of dialogs by id. */
  dialogById: Map<DialogId, Dialog>;
  /** Calls keyed by Call-ID, in order of first appearance. */
  calls: Map<string, Call>;
  /** Lanes, ordered along the call path (caller, proxies, callees, then the rest). */
  hosts: Map<HostId, Host>;
  /** Every forwarding step rebuilt from Via chaining (any method). */
  hops: Hop[];
  /** INVITE hops with more than one downstream branch. */
  forks: Fork[];
  /** Branch position of a transaction within its fork (0-based); absent = not part of a fork. */
  forkBranchIndex: Map<TransactionId, number>;
  /** One entry per CANCEL transaction. */
  cancels: CancelOrigin[];
  /** Which legs the capture saw and which it only knows from Via. */
  coverage: Coverage;
  /** True when the format carries no addresses (one endpoint's log, bare messages): lanes are inferred. */
  oneSided: boolean;
  /** Capture duplicates dropped (same bytes, same src/dst, within a few ms). */
  duplicatesDropped: number;
  /** Time of the earliest / latest message, null when the format has no time. */
  startTime: number | null;
  endTime: number | null;
  /**
   * Capture files: first and last packet of any kind (RTP, TCP FIN …), so the capture can be known
   * to have run on after the last SIP message; null for text inputs and untimed records.
   */
  captureSpan: CaptureSpan | null;
  /** Problems found while building (malformed messages etc.), in input order. */
  problems: Problem[];
  /** Legs of one call across B2BUAs (other Call-IDs), set by the correlation step after the build (correlate/). */
  correlation?: Correlation;
}

/** When the trace ends: the capture's last packet of any kind, else the last message (null: no times). */
export function traceEndTime(model: Pick<TraceModel, "endTime" | "captureSpan">): number | null {
  const end = model.captureSpan?.end;
  if (end == null) return model.endTime;
  return model.endTime == null ? end : Math.max(end, model.endTime);
}
