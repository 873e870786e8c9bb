/**
 * Builds the TraceModel incrementally: one call to `add` per SIP message as ingest delivers it,
 * then `finish` once. Matching follows RFC 3261 §17 (transactions), §9.1/§9.2 (CANCEL),
 * §17.1.1.3 (non-2xx ACK), §12 (dialogs). Forwarding, forks, cancel origins and coverage need
 * the whole trace and are derived in finish (see finalize.ts).
 */
import type { FormatId, Problem } from "@siplens/contracts";
import type { CaptureSpan, RawSipMessage } from "../ingest/types.js";
import type { ParsedSip } from "../sip/types.js";
import { CaptureDuplicateFilter } from "./duplicates.js";
import { type AddressKey, LaneAssigner, UNKNOWN_PEER, addressKeyOf, hostPart, inferredFromUri, inferredFromVia } from "./hosts.js";
import { ackTransactionKey, dialogKey, sentByOf, transactionKey, viaBaseKey } from "./keys.js";
import { finalizeModel } from "./finalize.js";
import { add, NONE } from "./lists.js";
import { MemoryPayloads, type PayloadStore } from "./payloads.js";
import { Interner, messageRecord } from "./record.js";
import type { Call, Dialog, ModelMessage, TraceModel, Transaction } from "./types.js";
import { itemAt, present } from "../access.js";

export interface ModelBuilderOptions {
  /** Parses one message's text; must never throw. */
  parse: (text: string) => ParsedSip;
  /** Where message texts go (default: kept in memory). */
  payloads?: PayloadStore;
}

/** Per transaction, first index of each distinct response (status + To tag) to spot retransmissions. */
type ResponseCopies = Map<string, number>;

export class ModelBuilder {
  private readonly messages: ModelMessage[] = [];
  private readonly transactions: Transaction[] = [];
  private readonly txByKey = new Map<string, Transaction>();
  private readonly txById = new Map<string, Transaction>();
  private readonly responseCopies = new Map<Transaction, ResponseCopies>();
  private readonly dialogs: Dialog[] = [];
  private readonly dialogByKey = new Map<string, Dialog>();
  private readonly calls = new Map<string, Call>();
  private readonly lanes = new LaneAssigner();
  private readonly duplicates = new CaptureDuplicateFilter();
  private readonly problems: Problem[] = [];
  private inputMessages = 0;
  private anyInferred = false;
  private readonly payloads: PayloadStore;
  private readonly intern = new Interner();
  private span: CaptureSpan | null = null;

  constructor(private readonly options: ModelBuilderOptions) {
    this.payloads = options.payloads ?? new MemoryPayloads();
  }

  problem(p: Problem): void {
    this.problems.push(p);
  }

  /** The capture's first and last packet of any kind (capture files only). */
  captureSpan(span: CaptureSpan): void {
    this.span = { start: span.start, end: span.end };
  }

  /** Number of messages kept so far (retransmissions included, duplicates not). */
  get messageCount(): number {
    return this.messages.length;
  }

  add(raw: RawSipMessage): void {
    this.inputMessages++;
    if (this.duplicates.isDuplicate(raw.text, raw.src, raw.dst, raw.time, raw.ipId)) return;
    const sip = this.options.parse(raw.text);
    const unusable = this.unusableReason(sip);
    if (unusable) {
      this.problems.push({
        where: raw.where,
        severity: "error",
        message: `SIP message #${this.inputMessages} of the input is malformed and was left out: ${unusable}`,
      });
      return;
    }
    this.addParsed(raw, sip);
  }

  private unusableReason(sip: ParsedSip): string | undefined {
    if (sip.kind === "invalid") {
      return sip.problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)).join("; ") || "not a SIP message";
    }
    if (!sip.callId) return "no Call-ID header";
    if (!sip.cseq) return "no valid CSeq header";
    if (sip.kind === "request" && !sip.method) return "no request method";
    if (sip.kind === "response" && sip.status === undefined) return "no status code";
    return undefined;
  }

  private addParsed(raw: RawSipMessage, sip: ParsedSip): void {
    const msg = messageRecord(this.messages.length, raw, sip, this.intern);
    const { src, dst } = this.sides(raw, sip, msg.isRequest);
    msg.srcHost = src;
    msg.dstHost = dst;
    const index = msg.index;
    const isRequest = msg.isRequest;
    const topVia = msg.vias[0];
    this.payloads.add(raw.text);
    this.messages.push(msg);
    for (const p of msg.problems) {
      this.problems.push({ where: raw.where, severity: "warning", message: `message ${index} (${msg.label}): ${p}`, messageIndex: index });
    }
    this.lanes.note(src, dst);
    if (isRequest && topVia && raw.src) {
      this.lanes.noteAlias(src, topVia.host);
      this.lanes.noteSentBy(src, topVia);
    }
    this.noteCall(msg);
    if (isRequest) this.addRequest(msg);
    else this.addResponse(msg);
    this.noteDialog(msg);
  }

  /** Address keys of sender and receiver: captured when known, else inferred from the message. */
  private sides(raw: RawSipMessage, sip: ParsedSip, isRequest: boolean): { src: AddressKey; dst: AddressKey } {
    let src = raw.src ? addressKeyOf(raw.src) : undefined;
    let dst = raw.dst ? addressKeyOf(raw.dst) : undefined;
    if (src && dst) return { src, dst };
    this.anyInferred = true;
    const viaSide = inferredFromVia(sip.vias[0]);
    if (isRequest) {
      src ??= viaSide;
      dst ??= inferredFromUri(sip.requestUri);
    } else {
      dst ??= viaSide;
      src ??= this.inferredServer(sip) ?? UNKNOWN_PEER;
    }
    return { src, dst };
  }

  /** For a response without a source: the side its request went to, when that request was seen. */
  private inferredServer(sip: ParsedSip): AddressKey | undefined {
    const tx = this.txByKey.get(transactionKey(sip.vias[0], present(sip.cseq).method, this.legacyOf(sip)));
    return tx?.serverHost;
  }

  private legacyOf(sip: ParsedSip): { callId: string; cseq: number; fromTag?: string } {
    return { callId: present(sip.callId), cseq: present(sip.cseq).seq, fromTag: sip.from?.tag };
  }

  private legacyOfMessage(m: ModelMessage): { callId: string; cseq: number; fromTag?: string } {
    return { callId: m.callId, cseq: m.cseqSeq, fromTag: m.fromTag };
  }

  private noteCall(msg: ModelMessage): void {
    let call = this.calls.get(msg.callId);
    if (!call) {
      call = {
        callId: msg.callId,
        messageIndices: [],
        transactionIds: [],
        dialogIds: NONE,
        inviteTxIds: NONE,
        hosts: [],
        startTime: msg.time,
        endTime: msg.time,
      };
      this.calls.set(msg.callId, call);
    }
    call.messageIndices.push(msg.index);
    if (call.fromUri === undefined && msg.isRequest) {
      call.fromUri = msg.fromUri;
      call.toUri = msg.toUri;
    }
    if (msg.time !== null) {
      if (call.startTime === null || msg.time < call.startTime) call.startTime = msg.time;
      if (call.endTime === null || msg.time > call.endTime) call.endTime = msg.time;
    }
  }

  private newTransaction(key: string, msg: ModelMessage, requestSeen: boolean): Transaction {
    const via = msg.vias[0];
    const tx: Transaction = {
      id: `t${this.transactions.length + 1}`,
      key,
      method: msg.isRequest ? msg.method : msg.cseqMethod,
      branch: via?.branch,
      sentBy: sentByOf(via),
      via,
      callId: msg.callId,
      cseq: msg.cseqSeq,
      fromTag: msg.fromTag,
      toTag: msg.isRequest ? msg.toTag : undefined,
      requestUri: msg.isRequest ? msg.requestUri : undefined,
      requestIndex: msg.index,
      requestSeen,
      requestIndices: NONE,
      responseIndices: NONE,
      provisionalIndices: NONE,
      finalIndices: NONE,
      laterFinalStatuses: NONE,
      ackIndices: NONE,
      cancelTxIds: NONE,
      clientHost: msg.isRequest ? msg.srcHost : msg.dstHost,
      serverHost: msg.isRequest ? msg.dstHost : msg.srcHost,
      transport: msg.transport,
      startTime: msg.time,
      finalTime: null,
      downstreamTxIds: NONE,
      messageIndices: NONE,
    };
    this.transactions.push(tx);
    this.txByKey.set(key, tx);
    this.txById.set(tx.id, tx);
    present(this.calls.get(msg.callId)).transactionIds.push(tx.id);
    if (msg.isRequest) this.linkUpstream(tx, msg);
    return tx;
  }

  /** Hop chaining: our second Via is the top Via of the request we were forwarded from. */
  private linkUpstream(tx: Transaction, msg: ModelMessage): void {
    const base = viaBaseKey(msg.vias[1]);
    if (!base) return;
    const candidates = tx.method === "ACK" ? [`${base}|ACK`, `${base}|INVITE`] : [`${base}|${tx.method}`];
    tx.upstreamViaKey = itemAt(candidates, 0);
    for (const key of candidates) {
      const up = this.txByKey.get(key);
      if (up && up !== tx) {
        tx.upstreamTxId = up.id;
        tx.upstreamViaKey = key;
        up.downstreamTxIds = add(up.downstreamTxIds, tx.id);
        return;
      }
    }
  }

  private attach(tx: Transaction, msg: ModelMessage): void {
    msg.transactionId = tx.id;
    tx.messageIndices = add(tx.messageIndices, msg.index);
  }

  /** Records a request copy; a second copy of the request in one transaction is a retransmission. */
  private addRequestCopy(tx: Transaction, msg: ModelMessage): void {
    if (tx.requestSeen && tx.requestIndices.length > 0) msg.retransmissionOf = itemAt(tx.requestIndices, 0);
    else if (!tx.requestSeen) {
      // The responses came first (request captured late or out of order): adopt this request.
      tx.requestSeen = true;
      tx.requestIndex = msg.index;
      tx.startTime = msg.time;
      if (msg.requestUri) tx.requestUri = msg.requestUri;
    }
    tx.requestIndices = add(tx.requestIndices, msg.index);
    this.attach(tx, msg);
  }

  private addRequest(msg: ModelMessage): void {
    const legacy = this.legacyOfMessage(msg);
    const via = msg.vias[0];
    if (msg.method === "ACK") {
      const invite = this.txByKey.get(transactionKey(via, "INVITE", legacy));
      if (invite && invite.method === "INVITE" && (invite.finalStatus === undefined || invite.finalStatus >= 300)) {
        // Non-2xx ACK: part of the INVITE transaction (§17.1.1.3).
        if (invite.ackIndices.length > 0) msg.retransmissionOf = itemAt(invite.ackIndices, 0);
        invite.ackIndices = add(invite.ackIndices, msg.index);
        this.attach(invite, msg);
        return;
      }
      const key = ackTransactionKey(via, legacy);
      const tx = this.txByKey.get(key) ?? this.newTransaction(key, msg, true);
      this.addRequestCopy(tx, msg);
      return;
    }
    const key = transactionKey(via, msg.method, legacy);
    const existing = this.txByKey.get(key);
    const tx = existing ?? this.newTransaction(key, msg, true);
    this.addRequestCopy(tx, msg);
    if (!existing && msg.method === "CANCEL") this.matchCancel(tx, msg);
  }

  /** §9.2: a CANCEL matches the INVITE with the same top Via branch and sent-by; RFC 2543 peers by Call-ID/From tag/CSeq/Request-URI. */
  private matchCancel(cancel: Transaction, msg: ModelMessage): void {
    let invite = this.txByKey.get(transactionKey(msg.vias[0], "INVITE", this.legacyOfMessage(msg)));
    let matchedBy: Transaction["matchedBy"] = "branch";
    if (!invite || invite.method !== "INVITE") {
      invite = undefined;
      matchedBy = "rfc2543";
      const call = present(this.calls.get(msg.callId));
      for (let i = call.transactionIds.length - 1; i >= 0 && !invite; i--) {
        const t = present(this.txById.get(itemAt(call.transactionIds, i)));
        if (t.method === "INVITE" && t.cseq === cancel.cseq && t.fromTag === cancel.fromTag && t.requestUri === cancel.requestUri && t.sentBy === cancel.sentBy)
          invite = t;
      }
    }
    if (!invite) return;
    cancel.matches = invite.id;
    cancel.matchedBy = matchedBy;
    invite.cancelTxIds = add(invite.cancelTxIds, cancel.id);
  }

  private addResponse(msg: ModelMessage): void {
    const key = transactionKey(msg.vias[0], msg.cseqMethod, this.legacyOfMessage(msg));
    const tx = this.txByKey.get(key) ?? this.newTransaction(key, msg, false);
    const status = present(msg.status);
    let copies = this.responseCopies.get(tx);
    if (!copies) this.responseCopies.set(tx, (copies = new Map<string, number>()));
    const copyKey = `${status}|${msg.toTag ?? ""}`;
    const first = copies.get(copyKey);
    if (first !== undefined) msg.retransmissionOf = first;
    else copies.set(copyKey, msg.index);
    tx.responseIndices = add(tx.responseIndices, msg.index);
    if (status < 200) tx.provisionalIndices = add(tx.provisionalIndices, msg.index);
    else {
      tx.finalIndices = add(tx.finalIndices, msg.index);
      if (tx.finalIndex === undefined) {
        tx.finalIndex = msg.index;
        tx.finalStatus = status;
        tx.finalTime = msg.time;
      } else if (first === undefined) tx.laterFinalStatuses = add(tx.laterFinalStatuses, status);
    }
    this.attach(tx, msg);
  }

  /** §12: dialogs by Call-ID and tags; 1xx with a To tag makes an early dialog, 2xx confirms it. */
  private noteDialog(msg: ModelMessage): void {
    const fromTag = msg.fromTag;
    const toTag = msg.toTag;
    if (!fromTag || !toTag) return;
    const key = dialogKey(msg.callId, fromTag, toTag);
    let dialog = this.dialogByKey.get(key);
    const tx = msg.transactionId ? this.txById.get(msg.transactionId) : undefined;
    const createsDialog = !msg.isRequest && msg.method === "INVITE" && present(msg.status) > 100 && present(msg.status) < 300;
    if (!dialog) {
      if (!createsDialog && !(msg.isRequest && msg.method !== "ACK" && msg.method !== "CANCEL")) return;
      dialog = {
        id: `d${this.dialogs.length + 1}`,
        callId: msg.callId,
        fromTag,
        toTag,
        ...(createsDialog && tx ? { inviteTxId: tx.id } : {}),
        state: createsDialog && present(msg.status) < 200 ? "early" : "confirmed",
        ackIndices: NONE,
        messageIndices: NONE,
      };
      this.dialogs.push(dialog);
      this.dialogByKey.set(key, dialog);
      const owner = present(this.calls.get(msg.callId));
      owner.dialogIds = add(owner.dialogIds, dialog.id);
    }
    msg.dialogId = dialog.id;
    dialog.messageIndices = add(dialog.messageIndices, msg.index);
    if (createsDialog && present(msg.status) >= 200) {
      if (dialog.state === "early") dialog.state = "confirmed";
      dialog.confirmedIndex ??= msg.index;
      if (!dialog.inviteTxId && tx) dialog.inviteTxId = tx.id;
    }
    if (msg.isRequest && msg.method === "ACK" && tx && tx.method === "ACK") {
      dialog.ackIndices = add(dialog.ackIndices, msg.index);
      tx.matches ??= this.inviteAnsweredOnLeg(msg)?.id ?? dialog.inviteTxId;
    }
    if (msg.isRequest && msg.method === "BYE") dialog.byeIndex ??= msg.index;
    if (tx) tx.dialogId ??= dialog.id;
  }

  /**
   * The INVITE a 2xx ACK acknowledges on this leg (§13.2.2.4): same Call-ID and CSeq number, a 2xx
   * seen, sent by the same host as the ACK (each proxy hop has its own INVITE transaction).
   */
  private inviteAnsweredOnLeg(ack: ModelMessage): Transaction | undefined {
    const call = present(this.calls.get(ack.callId));
    const senderIp = hostPart(ack.srcHost);
    let fallback: Transaction | undefined;
    for (let i = call.transactionIds.length - 1; i >= 0; i--) {
      const t = present(this.txById.get(itemAt(call.transactionIds, i)));
      if (t.method !== "INVITE" || t.cseq !== ack.cseqSeq) continue;
      const answered = (t.finalStatus !== undefined && t.finalStatus < 300) || t.laterFinalStatuses.some((s) => s < 300);
      if (!answered) continue;
      if (hostPart(t.clientHost) === senderIp) return t;
      fallback ??= t;
    }
    return fallback;
  }

  finish(format: FormatId, formatName: string): TraceModel {
    const { laneOf, hosts } = this.lanes.assign();
    return finalizeModel({
      format,
      formatName,
      messages: this.messages,
      payloads: this.payloads,
      transactions: this.transactions,
      dialogs: this.dialogs,
      calls: this.calls,
      hosts,
      laneOf,
      oneSided: this.anyInferred,
      duplicatesDropped: this.duplicates.dropped,
      captureSpan: this.span,
      problems: this.problems,
    });
  }
}
