import type { Finding, FindingDetailKey } from "@siplens/contracts";
import { formatDateTime, formatDuration, formatMs } from "@siplens/analysis/ladder";
import { present } from "@siplens/analysis/access";

/**
 * A finding's measured facts as labelled, readable rows: every field a rule writes has its label
 * and its rendering here (the record below is checked against the contracts' field list), and a
 * field we do not know (a stored finding from another version) is still shown as words, never JSON.
 */
export interface DetailRow {
  key: string;
  label: string;
  /** The value in words; with `items` a summary, or empty. */
  text: string;
  /** Message indices the value names: drawn as links to the message. */
  messages?: number[];
  /** One line per element, for lists of branches, readings, mismatches … */
  items?: string[];
}

type Value = Omit<DetailRow, "key" | "label">;
type Render = (value: unknown) => Value | undefined;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const percent = (v: number) => `${Math.round(v * 100)}%`;
const text = (t: string | undefined): Value | undefined => (t === undefined ? undefined : { text: t });
const itemsOf = (v: unknown, line: (x: unknown) => string | undefined): Value | undefined => {
  if (!Array.isArray(v)) return undefined;
  const items = v.flatMap((x) => line(x) ?? []);
  return items.length ? { text: "", items } : { text: "none" };
};

const ms: Render = (v) => text(num(v) === undefined ? undefined : formatMs(present(num(v))));
const msList: Render = (v) =>
  Array.isArray(v) && v.every((x) => num(x) !== undefined) ? { text: v.length ? v.map((x) => formatMs(x as number)).join(", ") : "none" } : undefined;
const count: Render = (v) => text(num(v)?.toLocaleString("en-US"));
const share: Render = (v) => text(num(v) === undefined ? undefined : percent(present(num(v))));
const plain: Render = (v) => text(str(v));
const status: Render = (v) => text(num(v) === undefined ? undefined : String(num(v)));
const statuses: Render = (v) => (Array.isArray(v) ? { text: v.filter((x) => num(x) !== undefined).join(", ") || "none" } : undefined);
const flag: Render = (v) => (typeof v === "boolean" ? { text: v ? "yes" : "no" } : undefined);
const message: Render = (v) => (num(v) === undefined ? undefined : { text: "", messages: [present(num(v))] });
const texts: Render = (v) => itemsOf(v, str);
const oneOf =
  (words: Record<string, string>): Render =>
  (v) =>
    text(str(v) === undefined ? undefined : (words[present(str(v))] ?? str(v)));

function timerText(t: unknown): string | undefined {
  if (!isRecord(t) || !str(t.name)) return undefined;
  const nominal = num(t.nominalMs);
  const delta = num(t.deltaMs);
  const off = delta === undefined ? "" : `, measured ${delta < 0 ? "−" : "+"}${formatMs(Math.abs(delta))} off it`;
  return `${str(t.name)}${nominal === undefined ? "" : ` (${formatMs(nominal)}${off})`}`;
}

function branchText(b: unknown): string | undefined {
  if (!isRecord(b)) return undefined;
  const where = str(b.target) ?? str(b.hop) ?? "a branch";
  const hop = str(b.target) && str(b.hop) ? ` (${str(b.hop)})` : "";
  const final = num(b.finalStatus) === undefined ? "no final response" : `final ${num(b.finalStatus)}`;
  const cancel = num(b.cancelIndex) === undefined ? "" : `, CANCEL #${num(b.cancelIndex)}`;
  const reason = str(b.reason) ? `, Reason ${str(b.reason)}` : "";
  return `${where}${hop}: ${final}${cancel}${reason}`;
}

const CANDIDATES: Record<string, string> = {
  "final-mapped": "a proxy mapped another final to 487",
  "reinvite-ended-by-bye": "a pending re-INVITE ended by BYE",
  "proxy-cancelled-branch": "a proxy cancelled its own branch",
  "invite-expires": "the INVITE's Expires ran out",
  "b2bua-other-leg": "a B2BUA's other leg ended",
  "uas-ended-itself": "the UAS ended the INVITE itself",
  "cancel-not-captured": "a CANCEL the capture did not see",
};

const LINK_BASIS: Record<string, string> = { "x-cid": "X-CID", "session-id": "Session-ID", icid: "icid", heuristic: "time, numbers and address" };

function otherLegText(v: unknown): Value | undefined {
  if (!isRecord(v)) return undefined;
  const facts = [
    str(v.basis)
      ? `linked by ${LINK_BASIS[present(str(v.basis))] ?? str(v.basis)}${num(v.linkConfidence) === undefined ? "" : ` (${percent(present(num(v.linkConfidence)))})`}`
      : undefined,
    num(v.cancelAfterInviteMs) === undefined ? undefined : `cancelled ${formatMs(present(num(v.cancelAfterInviteMs)))} after its INVITE`,
    num(v.gapToThis487Ms) === undefined
      ? undefined
      : `${formatMs(Math.abs(present(num(v.gapToThis487Ms))))} ${present(num(v.gapToThis487Ms)) >= 0 ? "before" : "after"} this 487`,
    num(v.relayedAfterMs) === undefined ? undefined : `its CANCEL relayed ${formatMs(present(num(v.relayedAfterMs)))} later`,
    num(v.finalStatus) === undefined ? undefined : `ended with ${num(v.finalStatus)}`,
    timerText(v.timer),
  ].filter((x): x is string => x !== undefined);
  const messages = [v.inviteIndex, v.cancelIndex, v.finalIndex].flatMap((x) => num(x) ?? []);
  return { text: `${str(v.callId) ?? "another Call-ID"}${facts.length ? ` — ${facts.join(", ")}` : ""}`, ...(messages.length ? { messages } : {}) };
}

const SPECS: Record<FindingDetailKey, [label: string, render: Render]> = {
  // the deciding CANCEL
  ringTimeMs: ["INVITE → CANCEL", ms],
  ringingMs: ["Ringing → CANCEL", ms],
  sinceLastProvisionalMs: ["Last provisional → CANCEL", ms],
  cancelOriginHost: ["CANCEL decided by", plain],
  cancelOrigin: [
    "Who decided",
    oneOf({ caller: "the caller", proxy: "a proxy, on its own", "upstream-unseen": "a proxy whose upstream leg is not in the trace" }),
  ],
  reason: ["Reason header", plain],
  cancelAnsweredWith: ["CANCEL answered with", statuses],
  hopsSeen: ["Hops captured", texts],
  upstreamCaptured: ["Upstream leg captured", flag],
  proxy: ["Proxy", plain],
  serial: ["Serial forking", flag],
  timer: ["Matches timer", (v) => text(timerText(v))],
  nearestTimer: ["Nearest known timer", (v) => text(timerText(v))],
  fixedIntervalMs: ["Fixed interval of this host", ms],
  fixedIntervalCalls: ["Calls at that interval", count],
  cancelledHops: ["Cancelled hops", texts],
  nextBranch: [
    "Next branch tried",
    (v) => {
      if (!isRecord(v)) return undefined;
      const after = num(v.inviteAfterCancelMs);
      const when = after === undefined ? "" : `, INVITE ${formatMs(Math.abs(after))} ${after >= 0 ? "after" : "before"} the CANCEL`;
      const final = num(v.finalStatus) === undefined ? "" : `, final ${num(v.finalStatus)}`;
      return {
        text: `${str(v.target) ?? str(v.hop) ?? "another target"}${when}${final}`,
        ...(num(v.inviteIndex) === undefined ? {} : { messages: [present(num(v.inviteIndex))] }),
      };
    },
  ],
  answeredByNextBranch: ["Answered by the next branch", message],
  upstreamFinal: ["Final sent upstream", status],
  otherLeg: ["Other leg of the call", otherLegText],
  cancelRelayedFrom: ["CANCEL relayed from", plain],
  // races and late CANCELs
  winner: ["Won the race", oneOf({ cancel: "the CANCEL (487 first)", "2xx": "the answer (2xx first)" })],
  raceGapMs: ["CANCEL − answer", (v) => text(num(v) === undefined ? undefined : `${present(num(v)) < 0 ? "−" : "+"}${formatMs(Math.abs(present(num(v))))}`)],
  cancelIndex: ["CANCEL", message],
  answerIndex: ["Answer", message],
  ackedAnswer: ["Answer ACKed", flag],
  answerTransmissions: ["Answer sent", (v) => text(num(v) === undefined ? undefined : `${num(v)} ${num(v) === 1 ? "time" : "times"}`)],
  byeIndex: ["BYE", message],
  byeAfterAnswerMs: ["Answer → BYE", ms],
  canceller: ["CANCEL sent by", plain],
  sinceAnswerMs: ["Answer → CANCEL", ms],
  cancelAfterFinalMs: ["Final → CANCEL", ms],
  finalStatus: ["Final response", status],
  hop: ["Hop", plain],
  // forks
  forkingProxy: ["Forking proxy", plain],
  parallel: ["Forked", (v) => (typeof v === "boolean" ? { text: v ? "in parallel" : "one after another" } : undefined)],
  winningBranch: ["Winning branch", (v) => text(branchText(v))],
  losingBranches: ["Losing branches", (v) => itemsOf(v, branchText)],
  siblingsInOtherCalls: ["Other branches on other Call-IDs", flag],
  answerAfterMs: ["INVITE → answer", ms],
  cancelledBy: [
    "Cancelled by",
    oneOf({
      caller: "the caller",
      proxy: "the proxy, on its own",
      "upstream-unseen": "a proxy whose upstream leg is not in the trace",
      unknown: "nobody captured",
    }),
  ],
  rangBranches: ["Branches that rang", count],
  // missing ACK
  direction: ["487 sent", plain],
  transmissions: ["Transmissions", count],
  retransmissions: ["Retransmissions", count],
  offsetsMs: ["Sent at (after the first)", msList],
  gapsMs: ["Gaps between copies", msList],
  expectedGapsMs: ["Timer G gaps expected", msList],
  timerG: ["Spacing vs Timer G", oneOf({ matches: "matches", irregular: "irregular" })],
  reachedTimerH: ["Went on until Timer H", flag],
  reliableTransport: ["Reliable transport (TCP/TLS)", flag],
  ackSeen: ["An ACK was captured", flag],
  mismatchedAcks: [
    "ACKs that do not match",
    (v) =>
      itemsOf(v, (a) =>
        isRecord(a) && num(a.index) !== undefined
          ? `#${num(a.index)}: ${Array.isArray(a.why) ? a.why.filter((w) => str(w)).join("; ") : (str(a.why) ?? "")}`
          : undefined,
      ),
  ],
  silenceAfterMs: ["No ACK for", ms],
  ackWait: [
    "Wait for the ACK ended by",
    oneOf({ "timer-h": "Timer H (64·T1) running out", "capture-end": "the end of the capture", untimed: "unknown: the input has no times" }),
  ],
  timingChecked: ["Timing checked", flag],
  // 487 without CANCEL
  afterInviteMs: ["INVITE → 487", ms],
  originHost: ["487 came from", plain],
  originIp: ["487 sender's address", plain],
  inviteIndex: ["INVITE", message],
  index487: ["487", message],
  candidates: [
    "Readings, likeliest first",
    (v) => itemsOf(v, (c) => (isRecord(c) && str(c.text) ? `${str(c.text)} (${percent(num(c.likelihood) ?? 0)})` : undefined)),
  ],
  likeliest: ["Likeliest reading", oneOf(CANDIDATES)],
  otherLegCallId: ["Other leg's Call-ID", plain],
  timerPattern: [
    "Same interval across calls",
    (v) =>
      isRecord(v)
        ? text(
            `${str(v.host) ?? "one host"}: ${num(v.calls) ?? "several"} calls at ${num(v.valueMs) === undefined ? "one interval" : formatMs(present(num(v.valueMs)))}`,
          )
        : undefined,
  ],
  mappedStatus: ["Final mapped to 487", status],
  mappedIndex: ["Mapped final", message],
  mappingProxy: ["Mapped by", plain],
  mappingRole: ["Mapped by a", oneOf({ proxy: "proxy", B2BUA: "B2BUA" })],
  mappedAfterMs: ["Mapped final → 487", ms],
  // 487 after 2xx
  uas: ["UAS", plain],
  answerStatus: ["Answer", status],
  answerTo487Ms: ["Answer → 487", ms],
  ackIndex: ["ACK", message],
  answerCopiesAfterAck: ["Answer copies after the ACK", count],
  // unmatched CANCEL
  cancelBranch: ["CANCEL Via branch", plain],
  inviteBranch: ["INVITE Via branch", plain],
  cancelSentBy: ["CANCEL Via sent-by", plain],
  inviteSentBy: ["INVITE Via sent-by", plain],
  differs: [
    "Fields that differ",
    (v) =>
      itemsOf(v, (d) =>
        isRecord(d) && str(d.field)
          ? `${str(d.field)}: CANCEL ${str(d.cancel) ?? "—"}, INVITE ${str(d.invite) ?? "—"}${str(d.note) ? ` (${str(d.note)})` : ""}`
          : undefined,
      ),
  ],
  answeredWith: ["Answered with", statuses],
  inviteCaptured: ["INVITE captured", flag],
  // middleboxes
  signs: ["Signs", texts],
  // trace-wide patterns
  dimension: ["Grouped by", oneOf({ destination: "destination", "cancel-origin-host": "host that cancelled", "time-window": "time window" })],
  destination: ["Destination", plain],
  invites: ["INVITEs", count],
  ended487: ["Ended in 487", count],
  share: ["Share ending in 487", share],
  overallShare: ["Share across the trace", share],
  dominantCause: ["Most frequent cause", plain],
  table: [
    "Per destination",
    (v) =>
      itemsOf(v, (r) =>
        isRecord(r) && str(r.destination) ? `${str(r.destination)}: ${num(r.ended487) ?? 0} of ${num(r.invites) ?? 0} ended in 487` : undefined,
      ),
  ],
  host: ["Host", plain],
  calls: ["Calls", count],
  destinations: ["Destinations", texts],
  fromTime: ["Window starts", (v) => text(num(v) === undefined ? undefined : formatDateTime(num(v)))],
  toTime: ["Window ends", (v) => text(num(v) === undefined ? undefined : formatDateTime(num(v)))],
  fromOffsetS: ["Starts after trace start", (v) => text(num(v) === undefined ? undefined : formatDuration(present(num(v)), true))],
  toOffsetS: ["Ends after trace start", (v) => text(num(v) === undefined ? undefined : formatDuration(present(num(v)), true))],
  invitesInWindow: ["INVITEs in the window", count],
  hitsInWindow: ["Of them hit", count],
  shareInWindow: ["Share in the window", share],
  shareOutside: ["Share outside", share],
  anchor: ["Interval measured", plain],
  valueMs: ["Interval", ms],
  spreadMs: ["Spread", ms],
  count: ["Calls at that interval", count],
  ofIntervals: ["Intervals measured", count],
  histogram: [
    "Intervals by range",
    (v) =>
      itemsOf(v, (b) =>
        isRecord(b) && num(b.fromMs) !== undefined
          ? `${formatMs(present(num(b.fromMs)))}–${num(b.toMs) === undefined || present(num(b.toMs)) < 0 ? "…" : formatMs(present(num(b.toMs)))}: ${num(b.count) ?? 0}`
          : undefined,
      ),
  ],
};

const isKnown = (key: string): key is FindingDetailKey => Object.hasOwn(SPECS, key);

/** "sinceAnswerMs" → "Since answer (ms)": a label for a field this version does not know. */
const humanKey = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/ Ms$/, " (ms)")
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());

/** A value of a field we do not know, in words: numbers, words, lists and "name: value" pairs. */
function words(v: unknown, depth = 0): string {
  if (v == null) return "—";
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(3);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "string") return v;
  if (depth > 2) return "…";
  if (Array.isArray(v)) return v.length ? v.map((x) => words(x, depth + 1)).join(", ") : "none";
  if (isRecord(v))
    return Object.entries(v)
      .map(([k, x]) => `${humanKey(k).toLowerCase()}: ${words(x, depth + 1)}`)
      .join(", ");
  // JSON has nothing else; a bigint or symbol from a caller still reads as itself.
  return typeof v === "bigint" || typeof v === "symbol" ? v.toString() : "…";
}

/** The rows of a finding's details, in the order its rule wrote them; absent values are left out. */
export function detailRows(finding: Finding): DetailRow[] {
  const rows: DetailRow[] = [];
  for (const [key, value] of Object.entries(finding.details)) {
    if (value === undefined || value === null) continue;
    const spec = isKnown(key) ? SPECS[key] : undefined;
    const rendered = spec?.[1](value) ?? { text: words(value) };
    rows.push({ key, label: spec?.[0] ?? humanKey(key), ...rendered });
  }
  return rows;
}
