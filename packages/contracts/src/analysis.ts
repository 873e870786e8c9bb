import { z } from "zod";
import { detailsSchemaOf } from "./finding-details.js";

/**
 * The analysis result: what `@siplens/analysis` produces, what the CLI prints with `--json`,
 * what the API stores and serves, and what the web app renders. One source of truth.
 * The stable core (format, messageCount, calls[].callId/messageCount/findings, findings, problems)
 * is a public contract: add fields, never rename or remove them.
 */

export const transportSchema = z.enum(["udp", "tcp", "tls", "sctp", "ws", "wss", "unknown"]);
export type Transport = z.infer<typeof transportSchema>;

export const endpointSchema = z.object({
  ip: z.string(),
  port: z.number().int().nullable(),
});
export type Endpoint = z.infer<typeof endpointSchema>;

/** Where in the input something was found: "frame 12", "line 340", "byte 81920". */
export const problemSchema = z.object({
  where: z.string(),
  message: z.string(),
  severity: z.enum(["warning", "error"]).default("warning"),
  /** Index of the SIP message concerned, when the problem is about one message. */
  messageIndex: z.number().int().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export const formatIdSchema = z.enum([
  "pcap",
  "pcapng",
  "netmon",
  "sip",
  "sngrep",
  "ngrep",
  "sipgrep",
  "tcpdump",
  "tshark-text",
  "tshark-verbose",
  "sipp-trace",
  "kamailio-sipdump",
  "asterisk-pjsip",
  "asterisk-chan-sip",
  "freeswitch",
  "cisco-ccsip",
  "hep",
]);
export type FormatId = z.infer<typeof formatIdSchema>;

export const headerSchema = z.object({ name: z.string(), value: z.string() });

export const sdpSummarySchema = z.object({
  origin: z.string().optional(),
  connection: z.string().optional(),
  media: z.array(
    z.object({
      type: z.string(),
      port: z.number().int(),
      proto: z.string(),
      formats: z.array(z.string()),
      connection: z.string().optional(),
      direction: z.string().optional(),
    }),
  ),
});
export type SdpSummary = z.infer<typeof sdpSummarySchema>;

/** One SIP message as it crossed the wire (retransmissions are messages; capture duplicates are not). */
export const messageSchema = z.object({
  index: z.number().int(),
  /** Seconds since the Unix epoch, or null when the input format has no time. */
  time: z.number().nullable(),
  src: endpointSchema.nullable(),
  dst: endpointSchema.nullable(),
  transport: transportSchema,
  /** Location in the input, e.g. "frame 12" or "line 340". */
  where: z.string(),
  kind: z.enum(["request", "response"]),
  method: z.string(),
  requestUri: z.string().optional(),
  status: z.number().int().optional(),
  reasonPhrase: z.string().optional(),
  callId: z.string(),
  cseq: z.object({ seq: z.number(), method: z.string() }),
  fromTag: z.string().optional(),
  toTag: z.string().optional(),
  fromUri: z.string().optional(),
  toUri: z.string().optional(),
  /** Top Via branch. */
  branch: z.string().optional(),
  /** Number of Via entries (hop depth). */
  viaCount: z.number().int(),
  /** Summary label for a ladder arrow: "INVITE", "180 Ringing", "487 Request Terminated". */
  label: z.string(),
  transactionId: z.string().optional(),
  /** Set when this message repeats an earlier one (same transaction, same content): index of the first copy. */
  retransmissionOf: z.number().int().optional(),
  /** Problems found while parsing this message. */
  problems: z.array(z.string()),
  sdp: sdpSummarySchema.optional(),
  /** Lane ids of sender and receiver. */
  fromLane: z.string(),
  toLane: z.string(),
  /** Branch number within a forked call (0 = not forked / first branch), for colouring. */
  branchIndex: z.number().int(),
  /** The message text as captured (left out with --no-raw). */
  raw: z.string().optional(),
  /** Every header, parsed on demand (the message route has them; the JSON document does not). */
  headers: z.array(headerSchema).optional(),
});
export type SipMessageView = z.infer<typeof messageSchema>;

export const severitySchema = z.enum(["info", "warning", "error"]);
export type Severity = z.infer<typeof severitySchema>;

export const findingCodeSchema = z.enum([
  "caller-hangup",
  "fork-branch-lost",
  "no-winner",
  "proxy-timeout",
  "cancel-200-race",
  "missing-ack",
  "487-without-cancel",
  "final-mapped-to-487",
  "487-after-2xx",
  "late-cancel",
  "cancel-unmatched",
  "alg-suspect",
  "cluster-487",
  "timer-pattern",
]);
export type FindingCode = z.infer<typeof findingCodeSchema>;

const findingBaseSchema = z.object({
  /** Stable within one analysis: "f1", "f2"… Share links may focus on it. */
  id: z.string(),
  severity: severitySchema,
  title: z.string(),
  explanation: z.string(),
  /** Indices of the messages the finding rests on. */
  evidence: z.array(z.number().int()),
  /** Where each evidence message is in the input ("frame 2383", "line 340"), same order; absent in analyses stored before. */
  evidenceWhere: z.array(z.string()).optional(),
  /** RFC references, e.g. "RFC 3261 §9.1". */
  rfc: z.array(z.string()),
  confidence: z.number().min(0).max(1),
  /** Call-IDs the finding covers (one for a call finding, many for a trace pattern). */
  callIds: z.array(z.string()),
});

const findingOf = <C extends FindingCode>(code: C) => findingBaseSchema.extend({ code: z.literal(code), details: detailsSchemaOf(code) });

/** One finding: its measured facts (`details`) typed by its code (./finding-details.ts). */
export const findingSchema = z.discriminatedUnion("code", [
  findingOf("caller-hangup"),
  findingOf("fork-branch-lost"),
  findingOf("no-winner"),
  findingOf("proxy-timeout"),
  findingOf("cancel-200-race"),
  findingOf("missing-ack"),
  findingOf("487-without-cancel"),
  findingOf("final-mapped-to-487"),
  findingOf("487-after-2xx"),
  findingOf("late-cancel"),
  findingOf("cancel-unmatched"),
  findingOf("alg-suspect"),
  findingOf("cluster-487"),
  findingOf("timer-pattern"),
]);
export type Finding = z.infer<typeof findingSchema>;
/** Compile-time check that the union above has a member for every code. */
const everyCodeHasASchema: [Exclude<FindingCode, Finding["code"]>] extends [never] ? true : never = true;
void everyCodeHasASchema;
/** The finding of one code, its details narrowed. */
export type FindingOf<C extends FindingCode> = Extract<Finding, { code: C }>;

export const callOutcomeSchema = z.enum(["answered", "cancelled", "busy", "rejected", "failed", "incomplete", "no-invite"]);
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

export const transactionSchema = z.object({
  id: z.string(),
  method: z.string(),
  branch: z.string().optional(),
  /** Index of the first request of the transaction. */
  requestIndex: z.number().int(),
  messageIndices: z.array(z.number().int()),
  finalStatus: z.number().int().optional(),
  /** Transaction id of the INVITE this CANCEL or non-2xx ACK belongs to. */
  matches: z.string().optional(),
  /** Host (lane id) that sent the request. */
  fromHost: z.string().optional(),
  toHost: z.string().optional(),
});
export type TransactionView = z.infer<typeof transactionSchema>;

/**
 * What ties the legs of one call across a B2BUA/SBC that changed the Call-ID: the other leg's
 * Call-ID in X-CID (or X-Call-ID, X-Orig-Call-ID), a shared RFC 7989 Session-ID, a shared
 * P-Charging-Vector icid, or, with no header, time + From/To numbers + the B2BUA's address.
 */
export const correlationBasisSchema = z.enum(["x-cid", "session-id", "icid", "heuristic"]);
export type CorrelationBasis = z.infer<typeof correlationBasisSchema>;

/** The correlated call a leg (one Call-ID) belongs to. */
export const callGroupRefSchema = z.object({
  /** "g1", "g2"… stable within one analysis. */
  id: z.string(),
  /** The weakest link of the group (its confidence is that link's). */
  basis: correlationBasisSchema,
  confidence: z.number().min(0).max(1),
  /** Legs (Call-IDs) in the group, and this leg's position among them (1 = first to start). */
  legs: z.number().int().min(2),
  leg: z.number().int().min(1),
  /** Call-IDs of the group's legs, in leg order. */
  callIds: z.array(z.string()),
  /** One line on what tied this leg to the others ("X-CID names 1-20907@…", "From 1001 → 2001 via 10.0.0.1, 4 ms later"). */
  note: z.string(),
});
export type CallGroupRef = z.infer<typeof callGroupRefSchema>;

export const callSchema = z.object({
  callId: z.string(),
  messageCount: z.number().int(),
  /** Indices of the messages of this call, in trace order. */
  messageIndices: z.array(z.number().int()),
  from: z.string().optional(),
  to: z.string().optional(),
  startTime: z.number().nullable(),
  endTime: z.number().nullable(),
  outcome: callOutcomeSchema,
  finalStatus: z.number().int().optional(),
  /** Lane ids of the hosts this call crossed, in order of first appearance. */
  hosts: z.array(z.string()),
  transactions: z.array(transactionSchema),
  /** Number of branches a proxy forked the initial INVITE into (1 when not forked). */
  branches: z.number().int(),
  /** Present when this call is one leg of a correlated call (several Call-IDs across a B2BUA). */
  group: callGroupRefSchema.optional(),
  findings: z.array(findingSchema),
});
export type CallView = z.infer<typeof callSchema>;

export const laneSchema = z.object({
  id: z.string(),
  /** Readable name, e.g. "10.0.0.5" or "proxy (10.0.0.1)". */
  name: z.string(),
  /** Every ip:port merged into this lane. */
  addresses: z.array(z.string()),
});
export type Lane = z.infer<typeof laneSchema>;

export const ladderRowSchema = z.object({
  index: z.number().int(),
  from: z.string(),
  to: z.string(),
  label: z.string(),
  time: z.number().nullable(),
  /** Seconds since the previous row, null for the first or when time is unknown. */
  delta: z.number().nullable(),
  sinceStart: z.number().nullable(),
  transactionId: z.string().optional(),
  callId: z.string(),
  retransmission: z.boolean(),
  /** Branch number within a forked call (0 = not forked / first branch), for colouring. */
  branchIndex: z.number().int(),
  /** Location in the input ("frame 2383", "line 340"): what Wireshark or the log calls this message. */
  where: z.string().optional(),
});
export type LadderRow = z.infer<typeof ladderRowSchema>;

export const ladderSchema = z.object({
  lanes: z.array(laneSchema),
  rows: z.array(ladderRowSchema),
});
export type Ladder = z.infer<typeof ladderSchema>;

/** What the input was and the span it covers: the head of the whole document and of the overview. */
export const traceFactsSchema = z.object({
  format: formatIdSchema,
  /** Human name of the detected format, e.g. "pcapng", "sngrep 'save as text'". */
  formatName: z.string(),
  messageCount: z.number().int(),
  /** Capture duplicates dropped (the same packet captured twice). */
  duplicatesDropped: z.number().int(),
  inputBytes: z.number().int(),
  /** Time of the first message. */
  startTime: z.number().nullable(),
  /** End of the trace: a capture's last packet of any kind (not only SIP), else the last message. */
  endTime: z.number().nullable(),
  /** True when the format has no addresses (one endpoint's log, bare messages). */
  oneSided: z.boolean(),
});

/**
 * The whole analysis as one document: what the CLI's --json writes (incrementally, never as one
 * string). The API and the web app use the parts of ./parts.ts instead.
 */
export const analysisResultSchema = traceFactsSchema.extend({
  /** Lanes of the ladder, ordered along the call path. */
  lanes: z.array(laneSchema),
  messages: z.array(messageSchema),
  calls: z.array(callSchema),
  /** Every finding: call findings and trace-wide patterns. */
  findings: z.array(findingSchema),
  /** Hops of the SIP path the capture saw, e.g. ["caller → proxy", "proxy → callee"]. */
  coverage: z.array(z.string()),
  problems: z.array(problemSchema),
});
export type AnalysisResult = z.infer<typeof analysisResultSchema>;
