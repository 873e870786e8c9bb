/**
 * The compact record the model keeps of a parsed message: numbers and (mostly shared) strings,
 * no header list, no body. Strings that repeat across messages (Call-ID, methods, URIs, hosts,
 * labels) are interned so a call's messages share one copy.
 */
import type { Endpoint, SdpSummary, Transport } from "@siplens/contracts";
import type { RawSipMessage } from "../ingest/types.js";
import type { ParsedSip, Via } from "../sip/types.js";
import { icidOf } from "../sip/link-headers.js";
import { messageLabel } from "./labels.js";
import type { MessageLinks, ModelMessage, ModelVia } from "./types.js";
import { present } from "../access.js";

const TRANSPORTS: readonly Transport[] = ["udp", "tcp", "tls", "sctp", "ws", "wss"];
const NONE: readonly never[] = Object.freeze([]);

function transportOf(raw: RawSipMessage, sip: ParsedSip): Transport {
  if (raw.transport !== "unknown") return raw.transport;
  const t = sip.vias[0]?.transport.toLowerCase() as Transport | undefined;
  return t && TRANSPORTS.includes(t) ? t : "unknown";
}

/**
 * A copy that does not keep `value`'s parent string alive: V8 slices strings of 13+ characters
 * without copying; flattening a concatenation copies the characters (short ones are copies already).
 */
function ownCopy<T extends string | undefined>(value: T): T {
  return (value === undefined || value.length < 13 ? value : ` ${value}`.slice(1)) as T;
}

/**
 * One table per model, bounded by the distinct values of the trace. A value read out of a message
 * is a slice of its text and would keep the whole text alive: the table keeps a copy of its own.
 */
export class Interner {
  private readonly table = new Map<string, string>();
  private readonly endpoints = new Map<string, Endpoint>();

  get<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const known = this.table.get(value);
    if (known !== undefined) return known as T;
    const own = ownCopy(value);
    this.table.set(own, own);
    return own;
  }

  endpoint(e: Endpoint | null): Endpoint | null {
    if (e === null) return null;
    const key = `${e.ip}|${e.port ?? ""}`;
    const known = this.endpoints.get(key);
    if (known) return known;
    const own = { ip: this.get(e.ip), port: e.port };
    this.endpoints.set(key, own);
    return own;
  }
}

/** The SDP summary with strings of its own (they would otherwise keep the message text alive). */
function sdpRecord(sdp: SdpSummary | undefined, intern: Interner): SdpSummary | undefined {
  if (sdp === undefined) return undefined;
  return {
    origin: intern.get(sdp.origin),
    connection: intern.get(sdp.connection),
    media: sdp.media.map((m) => ({
      type: intern.get(m.type),
      port: m.port,
      proto: intern.get(m.proto),
      formats: m.formats.map((f) => intern.get(f)),
      connection: intern.get(m.connection),
      direction: intern.get(m.direction),
    })),
  };
}

function viaRecord(v: Via, intern: Interner): ModelVia {
  return { transport: intern.get(v.transport), host: intern.get(v.host), port: v.port, branch: ownCopy(v.branch), received: intern.get(v.received) };
}

/** The link header values of a request (an object only when it has any: most messages have none). */
function linksRecord(sip: ParsedSip, intern: Interner): MessageLinks | undefined {
  const icid = icidOf(sip.chargingVector);
  if (sip.otherCallId === undefined && sip.sessionId === undefined && icid === undefined) return undefined;
  const out: MessageLinks = {};
  if (sip.otherCallId !== undefined) out.otherCallId = intern.get(sip.otherCallId);
  if (sip.sessionId !== undefined) out.sessionId = intern.get(sip.sessionId);
  if (icid !== undefined) out.icid = intern.get(icid);
  return out;
}

/** The record of one usable message (Call-ID and CSeq present); lanes and matching are filled in by the builder. */
export function messageRecord(index: number, raw: RawSipMessage, sip: ParsedSip, intern: Interner): ModelMessage {
  const isRequest = sip.kind === "request";
  const cseq = present(sip.cseq);
  const method = intern.get(isRequest ? present(sip.method) : cseq.method);
  // One literal per message with possibly-undefined optionals: conditional spreads allocate per message.
  return {
    index,
    time: raw.time,
    src: intern.endpoint(raw.src),
    dst: intern.endpoint(raw.dst),
    transport: transportOf(raw, sip),
    where: raw.where,
    frame: raw.frame,
    isRequest,
    method,
    status: sip.status,
    reasonPhrase: intern.get(sip.reasonPhrase),
    requestUri: intern.get(sip.requestUri),
    callId: intern.get(present(sip.callId)),
    cseqSeq: cseq.seq,
    cseqMethod: intern.get(cseq.method),
    fromTag: intern.get(sip.from?.tag),
    toTag: intern.get(sip.to?.tag),
    fromUri: intern.get(sip.from?.uri),
    toUri: intern.get(sip.to?.uri),
    vias: sip.vias.map((v) => viaRecord(v, intern)),
    reason: sip.reason.length ? sip.reason : NONE,
    expires: sip.expires,
    contentLength: sip.contentLength,
    bodyLength: sip.bodyLength,
    contacts: sip.contact?.length ? sip.contact.map((c) => ({ uri: intern.get(c.uri) })) : NONE,
    sdp: sdpRecord(sip.sdp, intern),
    srcHost: "",
    dstHost: "",
    label: intern.get(messageLabel(sip)),
    links: isRequest ? linksRecord(sip, intern) : undefined,
    problems:
      sip.problems.length || raw.notes ? [...sip.problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)), ...(raw.notes ?? [])] : NONE,
    transactionId: undefined,
    dialogId: undefined,
    retransmissionOf: undefined,
  };
}
