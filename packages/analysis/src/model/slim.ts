/**
 * What the model keeps of a parsed message. The parser's full reading (every header, every URI
 * and Via parameter, the body) costs several KB per message; a trace of 100k messages kept that
 * way spends most of its time in garbage collection. The model keeps the fields matching,
 * diagnosis and views use; headers and body are re-read from the raw text when a view needs them.
 */
import type { NameAddr, ParsedSip, Via } from "../sip/types.js";

const NO_PARAMS: Record<string, never> = Object.freeze({}) as Record<string, never>;

// Plain literals with possibly-undefined optionals: conditional spreads allocate per message.
function slimNameAddr(n: NameAddr): NameAddr {
  return { displayName: n.displayName, uri: n.uri, user: n.user, host: n.host, params: NO_PARAMS, tag: n.tag };
}

function slimVia(v: Via): Via {
  return {
    protocol: v.protocol,
    transport: v.transport,
    host: v.host,
    port: v.port,
    branch: v.branch,
    received: v.received,
    rport: v.rport,
    params: NO_PARAMS,
  };
}

/** A ParsedSip without headers, body and parameter maps (kept: everything matching and diagnosis read). */
export function slimParsedSip(sip: ParsedSip): ParsedSip {
  return {
    kind: sip.kind,
    method: sip.method,
    requestUri: sip.requestUri,
    status: sip.status,
    reasonPhrase: sip.reasonPhrase,
    headers: [],
    callId: sip.callId,
    cseq: sip.cseq,
    from: sip.from && slimNameAddr(sip.from),
    to: sip.to && slimNameAddr(sip.to),
    vias: sip.vias.map(slimVia),
    contact: sip.contact?.map(slimNameAddr),
    maxForwards: sip.maxForwards,
    reason: sip.reason,
    expires: sip.expires,
    contentLength: sip.contentLength,
    contentType: sip.contentType,
    body: "",
    bodyLength: sip.bodyLength,
    sdp: sip.sdp,
    problems: sip.problems,
  };
}
