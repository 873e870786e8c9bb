import type { ModelMessage, TraceModel } from "../model/types.js";
import type { DxMsg, DxTrace } from "./input.js";

const NONE: readonly { uri: string }[] = [];

function toDx(m: ModelMessage): DxMsg {
  const sip = m.sip;
  // Parser objects are shared, not copied: the trace can hold hundreds of thousands of messages.
  return {
    index: m.index,
    time: m.time,
    src: m.src,
    dst: m.dst,
    transport: m.transport,
    isRequest: m.isRequest,
    method: m.method,
    status: m.status,
    requestUri: sip.requestUri,
    callId: m.callId,
    cseqSeq: sip.cseq?.seq ?? -1,
    cseqMethod: sip.cseq?.method ?? m.method,
    fromTag: sip.from?.tag,
    toTag: sip.to?.tag,
    vias: sip.vias,
    reason: sip.reason,
    expires: sip.expires,
    contentLength: sip.contentLength,
    bodyLength: sip.bodyLength,
    contacts: sip.contact ?? NONE,
    sdp: sip.sdp,
  };
}

/** The diagnosis view of a trace model: the rules read only these facts. */
export function fromModel(model: TraceModel): DxTrace {
  let end: number | null = model.endTime;
  if (end == null) for (const m of model.messages) if (m.time != null && (end == null || m.time > end)) end = m.time;
  return { messages: model.messages.map(toDx), endTime: end, oneSided: model.oneSided };
}
