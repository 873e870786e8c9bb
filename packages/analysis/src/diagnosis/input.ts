import type { Endpoint } from "@siplens/contracts";
import type { ModelMessage, ModelVia, TraceModel } from "../model/types.js";
import { formatAddress } from "../address.js";
import { hopKey } from "../model/keys.js";

/**
 * The diagnosis reads the model's own message records: no copy of the trace is made for it.
 */
export type DxVia = ModelVia;
export type DxEndpoint = Endpoint;
export type DxMsg = ModelMessage;

/** SDP c= addresses (session and media level). */
export function sdpConnections(m: DxMsg): string[] {
  const out: string[] = [];
  if (m.sdp?.connection) out.push(m.sdp.connection);
  for (const media of m.sdp?.media ?? []) if (media.connection) out.push(media.connection);
  return out;
}

export interface DxTrace {
  /** The finished model: calls, transactions and their messages. */
  model: TraceModel;
  /** When the trace ends: a capture's last packet of any kind, else its last message (null: no times). */
  endTime: number | null;
  /** One endpoint's log: no addresses, only what that endpoint saw. */
  oneSided: boolean;
}

/**
 * The hop transaction `via` of message `m` names: the model's own key (RFC 3261 §17.2.3, with
 * the RFC 2543 fallback), so a leg of the diagnosis is a transaction of the model.
 */
export function txHopKey(m: DxMsg, via: DxVia | undefined = m.vias[0]): string {
  return hopKey(via, { callId: m.callId, cseq: m.cseqSeq, fromTag: m.fromTag });
}

export function sentBy(v: DxVia | undefined): string | undefined {
  if (!v) return undefined;
  return formatAddress(v.host, v.port);
}

export function endpointText(e: DxEndpoint | null): string | undefined {
  if (!e) return undefined;
  return formatAddress(e.ip, e.port);
}

const RELIABLE = new Set(["tcp", "tls", "sctp", "ws", "wss"]);
export function isReliable(m: DxMsg): boolean {
  const t = (m.vias[0]?.transport ?? m.transport).toLowerCase();
  return RELIABLE.has(t) || RELIABLE.has(m.transport.toLowerCase());
}

export function is2xx(m: DxMsg): boolean {
  return !m.isRequest && (m.status ?? 0) >= 200 && (m.status ?? 0) < 300;
}

/** Orders by capture time when both have one, else by trace position. */
export function before(a: DxMsg, b: DxMsg): boolean {
  if (a.time != null && b.time != null && a.time !== b.time) return a.time < b.time;
  return a.index < b.index;
}

export function gapMs(from: DxMsg | undefined, to: DxMsg | undefined): number | undefined {
  if (!from || !to || from.time == null || to.time == null) return undefined;
  // to the µs a capture has: a CANCEL/200 race is often a fraction of a millisecond
  return Math.round((to.time - from.time) * 1e6) / 1000;
}
