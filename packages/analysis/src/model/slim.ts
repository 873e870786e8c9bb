/**
 * What the model keeps of a parsed message. The parser's full reading (every header, every URI
 * and Via parameter, the body) costs several KB per message; a trace of 100k messages kept that
 * way spends most of its time in garbage collection. The model keeps the fields matching,
 * diagnosis and views use; headers and body are re-read from the raw text when a view needs them.
 */
import type { NameAddr, ParsedSip, Via } from "../sip/types.js";

const NO_PARAMS: Record<string, never> = Object.freeze({}) as Record<string, never>;

function slimNameAddr(n: NameAddr): NameAddr {
  return {
    uri: n.uri,
    params: NO_PARAMS,
    ...(n.displayName !== undefined ? { displayName: n.displayName } : {}),
    ...(n.user !== undefined ? { user: n.user } : {}),
    ...(n.host !== undefined ? { host: n.host } : {}),
    ...(n.tag !== undefined ? { tag: n.tag } : {}),
  };
}

function slimVia(v: Via): Via {
  return {
    protocol: v.protocol,
    transport: v.transport,
    host: v.host,
    port: v.port,
    params: NO_PARAMS,
    ...(v.branch !== undefined ? { branch: v.branch } : {}),
    ...(v.received !== undefined ? { received: v.received } : {}),
    ...(v.rport !== undefined ? { rport: v.rport } : {}),
  };
}

/** A ParsedSip without headers, body and parameter maps (kept: everything matching and diagnosis read). */
export function slimParsedSip(sip: ParsedSip): ParsedSip {
  return {
    kind: sip.kind,
    ...(sip.method !== undefined ? { method: sip.method } : {}),
    ...(sip.requestUri !== undefined ? { requestUri: sip.requestUri } : {}),
    ...(sip.status !== undefined ? { status: sip.status } : {}),
    ...(sip.reasonPhrase !== undefined ? { reasonPhrase: sip.reasonPhrase } : {}),
    headers: [],
    ...(sip.callId !== undefined ? { callId: sip.callId } : {}),
    ...(sip.cseq !== undefined ? { cseq: sip.cseq } : {}),
    ...(sip.from ? { from: slimNameAddr(sip.from) } : {}),
    ...(sip.to ? { to: slimNameAddr(sip.to) } : {}),
    vias: sip.vias.map(slimVia),
    ...(sip.contact ? { contact: sip.contact.map(slimNameAddr) } : {}),
    ...(sip.maxForwards !== undefined ? { maxForwards: sip.maxForwards } : {}),
    reason: sip.reason,
    ...(sip.expires !== undefined ? { expires: sip.expires } : {}),
    ...(sip.contentLength !== undefined ? { contentLength: sip.contentLength } : {}),
    ...(sip.contentType !== undefined ? { contentType: sip.contentType } : {}),
    body: "",
    bodyLength: sip.bodyLength,
    ...(sip.sdp ? { sdp: sip.sdp } : {}),
    problems: sip.problems,
  };
}
