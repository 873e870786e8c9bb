/**
 * The compact record the model keeps of a parsed message: numbers and (mostly shared) strings,
 * no header list, no body. Strings that repeat across messages (Call-ID, methods, URIs, hosts,
 * labels) are interned so a call's messages share one copy.
 */
import type { Transport } from "@siplens/contracts";
import type { RawSipMessage } from "../ingest/types.js";
import type { ParsedSip, Via } from "../sip/types.js";
import { messageLabel } from "./labels.js";
import type { ModelMessage, ModelVia } from "./types.js";

const TRANSPORTS: readonly Transport[] = ["udp", "tcp", "tls", "sctp", "ws", "wss"];
const NONE: readonly never[] = Object.freeze([]);

function transportOf(raw: RawSipMessage, sip: ParsedSip): Transport {
  if (raw.transport !== "unknown") return raw.transport;
  const t = sip.vias[0]?.transport.toLowerCase() as Transport | undefined;
  return t && TRANSPORTS.includes(t) ? t : "unknown";
}

/** One table per model: bounded by the distinct values of the trace. */
export class Interner {
  private readonly table = new Map<string, string>();

  get<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const known = this.table.get(value);
    if (known !== undefined) return known as T;
    this.table.set(value, value);
    return value;
  }
}

function viaRecord(v: Via, intern: Interner): ModelVia {
  return { transport: intern.get(v.transport), host: intern.get(v.host), port: v.port, branch: v.branch, received: intern.get(v.received) };
}

/** The record of one usable message (Call-ID and CSeq present); lanes and matching are filled in by the builder. */
export function messageRecord(index: number, raw: RawSipMessage, sip: ParsedSip, intern: Interner): ModelMessage {
  const isRequest = sip.kind === "request";
  const cseq = sip.cseq!;
  const method = intern.get(isRequest ? sip.method! : cseq.method);
  // One literal per message with possibly-undefined optionals: conditional spreads allocate per message.
  return {
    index,
    time: raw.time,
    src: raw.src,
    dst: raw.dst,
    transport: transportOf(raw, sip),
    where: raw.where,
    frame: raw.frame,
    isRequest,
    method,
    status: sip.status,
    reasonPhrase: intern.get(sip.reasonPhrase),
    requestUri: intern.get(sip.requestUri),
    callId: intern.get(sip.callId!),
    cseqSeq: cseq.seq,
    cseqMethod: intern.get(cseq.method),
    fromTag: sip.from?.tag,
    toTag: sip.to?.tag,
    fromUri: intern.get(sip.from?.uri),
    toUri: intern.get(sip.to?.uri),
    vias: sip.vias.map((v) => viaRecord(v, intern)),
    reason: sip.reason.length ? sip.reason : NONE,
    expires: sip.expires,
    contentLength: sip.contentLength,
    bodyLength: sip.bodyLength,
    contacts: sip.contact?.length ? sip.contact.map((c) => ({ uri: intern.get(c.uri) })) : NONE,
    sdp: sip.sdp,
    srcHost: "",
    dstHost: "",
    label: intern.get(messageLabel(sip)),
    problems: sip.problems.length ? sip.problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)) : NONE,
    transactionId: undefined,
    dialogId: undefined,
    retransmissionOf: undefined,
  };
}
