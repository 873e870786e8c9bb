import { z } from "zod";

/**
 * The measured facts of each finding code. Every field is optional and tolerant: a stored
 * finding written by an older analyzer (a field missing, of another type, or one we no longer
 * write) still parses — a field that does not fit reads as absent, one we do not know is kept.
 * Times are milliseconds (`…Ms`), message references are indices in the trace (`…Index`),
 * statuses are SIP status codes.
 */
const opt = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const ms = opt(z.number());
const count = opt(z.number().int());
const index = opt(z.number().int());
const status = opt(z.number().int());
const text = opt(z.string());
const flag = opt(z.boolean());
const texts = opt(z.array(z.string()));
const statuses = opt(z.array(z.number().int()));

/** A known SIP timer an interval was compared with (RFC 3261 §17 table 4, or a common product default). */
export const timerMatchSchema = z.looseObject({
  name: z.string(),
  nominalMs: ms,
  observedMs: ms,
  /** observed − nominal */
  deltaMs: ms,
  rfc: text,
});
export type TimerMatchView = z.infer<typeof timerMatchSchema>;

/** One branch of a forked INVITE. */
const branchSchema = z.looseObject({ hop: text, target: text, branch: text, finalStatus: status, cancelIndex: index, reason: text, index487: index });

/** The other leg of a correlated call (another Call-ID behind a B2BUA) that explains this one. */
const otherLegSchema = z.looseObject({
  callId: text,
  groupId: text,
  basis: text,
  linkConfidence: opt(z.number()),
  inviteIndex: index,
  cancelIndex: index,
  cancelAfterInviteMs: ms,
  gapToThis487Ms: ms,
  timer: opt(timerMatchSchema),
  finalIndex: index,
  finalStatus: status,
  relayedAfterMs: ms,
});

/** The next target a proxy tried when it gave up on a branch (serial forking). */
const nextBranchSchema = z.looseObject({ target: text, hop: text, inviteIndex: index, inviteAfterCancelMs: ms, finalStatus: status });

/** One reading of a 487 without CANCEL, with how likely it is and the messages it rests on. */
export const candidateSchema = z.looseObject({ id: z.string(), text: z.string(), likelihood: z.number(), evidence: z.array(z.number().int()) });
export type Candidate = z.infer<typeof candidateSchema>;

/** A fixed interval one host ended many calls at (trace-wide timer pattern). */
const timerPatternRefSchema = z.looseObject({ host: text, valueMs: ms, calls: count });

/** A field a CANCEL must copy from its INVITE but did not (RFC 3261 §9.1). */
const cancelMismatchSchema = z.looseObject({ field: z.string(), cancel: z.string(), invite: z.string(), note: text });

const cancelOriginSchema = z.enum(["caller", "proxy", "upstream-unseen"]);

/** Who decided the CANCEL that ended the INVITE, when, and was it a timer (caller-hangup, proxy-timeout). */
const cancelDecisionShape = {
  ringTimeMs: ms,
  ringingMs: ms,
  sinceLastProvisionalMs: ms,
  cancelOriginHost: text,
  cancelOrigin: opt(cancelOriginSchema),
  reason: text,
  cancelAnsweredWith: statuses,
  hopsSeen: texts,
  upstreamCaptured: flag,
  proxy: text,
  serial: flag,
  /** The known timer the interval matches (within its tolerance), and only then. */
  timer: opt(timerMatchSchema),
  /** The closest known timer, however far: said so a reader sees how far off the standard values are. */
  nearestTimer: opt(timerMatchSchema),
  /** A fixed interval the same host cancelled several calls at (not a known timer). */
  fixedIntervalMs: ms,
  fixedIntervalCalls: count,
  cancelledHops: texts,
  nextBranch: opt(nextBranchSchema),
  answeredByNextBranch: index,
  upstreamFinal: status,
  otherLeg: opt(otherLegSchema),
  cancelRelayedFrom: text,
};

const raceShape = {
  winner: opt(z.enum(["cancel", "2xx"])),
  raceGapMs: ms,
  cancelIndex: index,
  answerIndex: index,
  cancelAnsweredWith: statuses,
  ackedAnswer: flag,
  answerTransmissions: count,
  byeIndex: index,
  byeAfterAnswerMs: ms,
  ringTimeMs: ms,
  canceller: text,
  reason: text,
  hopsSeen: texts,
};

const lateCancelShape = { sinceAnswerMs: ms, cancelAfterFinalMs: ms, finalStatus: status, cancelAnsweredWith: statuses, canceller: text, hop: text };

const forkShape = {
  forkingProxy: text,
  parallel: flag,
  reason: text,
  winningBranch: opt(branchSchema),
  losingBranches: opt(z.array(branchSchema)),
  siblingsInOtherCalls: flag,
  answerAfterMs: ms,
  cancelledBy: opt(z.enum(["caller", "proxy", "upstream-unseen", "unknown"])),
  cancelOriginHost: text,
  ringTimeMs: ms,
  rangBranches: count,
};

const missingAckShape = {
  hop: text,
  direction: text,
  transmissions: count,
  retransmissions: count,
  offsetsMs: opt(z.array(z.number())),
  gapsMs: opt(z.array(z.number())),
  expectedGapsMs: opt(z.array(z.number())),
  timerG: opt(z.enum(["matches", "irregular"])),
  reachedTimerH: flag,
  reliableTransport: flag,
  ackSeen: flag,
  /** ACKs that do not match the 487, each with what differs. */
  mismatchedAcks: opt(z.array(z.looseObject({ index: z.number().int(), why: z.array(z.string()) }))),
  silenceAfterMs: ms,
  /** What ended the wait for the ACK over TCP: Timer H ran out, the capture ended first, or no times. */
  ackWait: opt(z.enum(["timer-h", "capture-end", "untimed"])),
  timingChecked: flag,
};

/** A 487 with no CANCEL and its ranked readings; final-mapped-to-487 is its likeliest reading named. */
const withoutCancelShape = {
  hop: text,
  afterInviteMs: ms,
  originHost: text,
  originIp: text,
  inviteIndex: index,
  index487: index,
  candidates: opt(z.array(candidateSchema)),
  likeliest: text,
  otherLegCallId: text,
  otherLeg: opt(otherLegSchema),
  timerPattern: opt(timerPatternRefSchema),
  mappedStatus: status,
  mappedIndex: index,
  mappingProxy: text,
  mappingRole: opt(z.enum(["proxy", "B2BUA"])),
  mappedAfterMs: ms,
};

const after2xxShape = {
  hop: text,
  uas: text,
  answerStatus: status,
  answerIndex: index,
  index487: index,
  answerTo487Ms: ms,
  answerTransmissions: count,
  ackIndex: index,
  answerCopiesAfterAck: count,
  byeIndex: index,
};

const cancelUnmatchedShape = {
  hop: text,
  cancelBranch: text,
  inviteBranch: text,
  cancelSentBy: text,
  inviteSentBy: text,
  differs: opt(z.array(cancelMismatchSchema)),
  transmissions: count,
  answeredWith: statuses,
  inviteCaptured: flag,
};

const algShape = { signs: texts };

const clusterShape = {
  dimension: opt(z.enum(["destination", "cancel-origin-host", "time-window"])),
  destination: text,
  invites: count,
  ended487: count,
  share: opt(z.number()),
  overallShare: opt(z.number()),
  dominantCause: text,
  table: opt(z.array(z.looseObject({ destination: z.string(), invites: z.number().int(), ended487: z.number().int() }))),
  host: text,
  calls: count,
  destinations: texts,
  /** Seconds since the Unix epoch. */
  fromTime: opt(z.number()),
  toTime: opt(z.number()),
  /** Seconds since the trace's first INVITE. */
  fromOffsetS: opt(z.number()),
  toOffsetS: opt(z.number()),
  invitesInWindow: count,
  hitsInWindow: count,
  shareInWindow: opt(z.number()),
  shareOutside: opt(z.number()),
};

const timerPatternShape = {
  host: text,
  anchor: opt(z.enum(["INVITE→CANCEL", "INVITE→487"])),
  valueMs: ms,
  spreadMs: ms,
  count,
  ofIntervals: count,
  /** The known timer the interval matches, and only then. */
  timer: opt(timerMatchSchema),
  /** toMs −1: no upper bound. */
  histogram: opt(z.array(z.looseObject({ fromMs: z.number(), toMs: z.number(), count: z.number().int() }))),
};

/** The fields each finding code records (see the rules in packages/analysis/src/diagnosis). */
export const FINDING_DETAIL_SHAPES = {
  "caller-hangup": cancelDecisionShape,
  "proxy-timeout": cancelDecisionShape,
  "cancel-200-race": raceShape,
  "late-cancel": lateCancelShape,
  "fork-branch-lost": forkShape,
  "no-winner": forkShape,
  "missing-ack": missingAckShape,
  "487-without-cancel": withoutCancelShape,
  "final-mapped-to-487": withoutCancelShape,
  "487-after-2xx": after2xxShape,
  "cancel-unmatched": cancelUnmatchedShape,
  "alg-suspect": algShape,
  "cluster-487": clusterShape,
  "timer-pattern": timerPatternShape,
} as const;

type Shapes = typeof FINDING_DETAIL_SHAPES;
/** Every field name some finding code records. */
export type FindingDetailKey = { [C in keyof Shapes]: keyof Shapes[C] }[keyof Shapes];

/** A details object that is not an object at all (never written, but stored rows are not ours to trust) reads as empty. */
export const detailsSchemaOf = <C extends keyof Shapes>(code: C) => {
  const schema = z.looseObject(FINDING_DETAIL_SHAPES[code]);
  // every field is optional, so the empty object is of this type (the generic hides that from tsc)
  return schema.catch(() => ({}) as z.output<typeof schema>);
};

export type CancelDecisionDetails = z.infer<ReturnType<typeof detailsSchemaOf<"caller-hangup">>>;
export type WithoutCancelDetails = z.infer<ReturnType<typeof detailsSchemaOf<"487-without-cancel">>>;
