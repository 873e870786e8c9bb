/** Output of the SIP parser: a tolerant, located reading of one message. Never throws. */
import type { SdpSummary } from "@siplens/contracts";

export interface NameAddr {
  displayName?: string;
  uri: string;
  /** user part of the URI (phone number or name), when present */
  user?: string;
  host?: string;
  /** Port of the URI when written ("sip:a@h:5070"). */
  port?: number;
  /** Lower-cased URI scheme ("sip", "sips", "tel", …); absent for "*" and unreadable URIs. */
  scheme?: string;
  params: Record<string, string>;
  tag?: string;
}

/** The parts of the Request-URI. */
export interface RequestUriParts {
  scheme: string;
  user?: string;
  host?: string;
  port?: number;
}

export interface Via {
  protocol: string; // "SIP/2.0"
  transport: string; // "UDP", "TCP", "WS" …
  host: string;
  port: number | null;
  branch?: string;
  received?: string;
  rport?: string | true;
  params: Record<string, string | true>;
}

export interface ReasonValue {
  protocol: string; // "SIP" | "Q.850" | …
  cause?: number;
  text?: string;
}

export interface ParsedHeader {
  /** Canonical long name ("Via", "Call-ID", "Content-Length") even when the message used a compact form. */
  name: string;
  /** The value as written, folded lines joined with a single space. */
  value: string;
  /** 1-based line of the header within the message (its first line when folded). */
  line?: number;
}

export interface ParseProblem {
  /** 1-based line within the message, when the problem sits on a line. */
  line?: number;
  message: string;
  /**
   * "error" (absent means error): the message breaks RFC 3261 syntax or is missing what it needs.
   * "warning": legal or tolerable, but worth knowing (extra octets after the body, empty branch id).
   */
  severity?: "error" | "warning";
}

export interface ParsedSip {
  kind: "request" | "response" | "invalid";
  method?: string; // request method
  requestUri?: string;
  requestUriParts?: RequestUriParts;
  version?: string;
  status?: number;
  reasonPhrase?: string;
  headers: ParsedHeader[];
  callId?: string;
  cseq?: { seq: number; method: string };
  from?: NameAddr;
  to?: NameAddr;
  vias: Via[];
  contact?: NameAddr[];
  /** Route and Record-Route entries in order (comma-separated values split). */
  route?: NameAddr[];
  recordRoute?: NameAddr[];
  maxForwards?: number;
  reason: ReasonValue[];
  expires?: number;
  contentLength?: number;
  /** Media type, lower-cased, without parameters ("application/sdp"). */
  contentType?: string;
  /** The body: what follows the blank line, cut at Content-Length when more is there. */
  body: string;
  /** Real body length in bytes (UTF-8), to compare with Content-Length. */
  bodyLength: number;
  sdp?: SdpSummary;
  /** Link headers across a B2BUA (see link-headers.ts): X-CID and kin, Session-ID, P-Charging-Vector, as written. */
  otherCallId?: string;
  sessionId?: string;
  chargingVector?: string;
  problems: ParseProblem[];
}
