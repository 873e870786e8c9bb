import type { FindingCode } from "@siplens/contracts";

/**
 * The finding guide: one public page per finding code. The text follows what the diagnosis rules in
 * packages/analysis/src/diagnosis actually check (rules/*.ts, patterns.ts) — when a rule changes,
 * change its entry. Each entry names a committed capture made by real SIP software; the page runs
 * the analyzer on it in the browser and draws the call with the app's own ladder.
 */

/** A committed trace: "examples/<file>" (apps/web/public/examples) or "diagnosis/<file>" (packages/analysis/test/fixtures/diagnosis). */
export type FixtureName = `examples/${string}` | `diagnosis/${string}`;

export interface GuideExample {
  fixture: FixtureName;
  /** The call to draw; the finding with this code on that call is the one highlighted. */
  callId: string;
  /** What the capture is, in one sentence (how it was made). */
  caption: string;
}

interface RfcRef {
  /** "RFC 3261 §9.2", the form findings use. */
  ref: string;
  /** What that section says that matters here. */
  says: string;
}

export interface GuideEntry {
  code: FindingCode;
  /** One line for the index. */
  summary: string;
  /** Severities the rule gives, and when. */
  severity: string;
  meaning: string[];
  /** How the finding looks on a ladder. */
  ladder: string[];
  why: string[];
  checkNext: string[];
  rfc: RfcRef[];
  example: GuideExample;
}

const R = {
  s9_1: {
    ref: "RFC 3261 §9.1",
    says: "How a CANCEL is built: same Request-URI, Call-ID, From, To, CSeq number and top Via branch as the INVITE it cancels; it has no effect on a request that already got a final response.",
  },
  s9_2: { ref: "RFC 3261 §9.2", says: "A UAS that matches a CANCEL to a pending INVITE answers the CANCEL 200 and the INVITE 487; no match gives 481." },
  s13_3_1: { ref: "RFC 3261 §13.3.1", says: "A UAS may end an unanswered INVITE itself, e.g. when its Expires runs out, with 487." },
  s13_3_1_4: { ref: "RFC 3261 §13.3.1.4", says: "A UAS retransmits its 2xx until the ACK arrives, and ends the call when it never does." },
  s15: { ref: "RFC 3261 §15", says: "An answered call ends with BYE, never with CANCEL." },
  s15_1_2: { ref: "RFC 3261 §15.1.2", says: "A UAS that receives BYE answers any request still pending in that dialog with 487." },
  s16_6: { ref: "RFC 3261 §16.6", says: "A proxy forwarding an INVITE runs Timer C (more than 3 minutes) and cancels the branch when it fires." },
  s16_7: { ref: "RFC 3261 §16.7", says: "A forking proxy sends the best final response upstream and CANCELs the branches still pending once one answers 2xx." },
  s16_8: { ref: "RFC 3261 §16.8", says: "What a proxy does when Timer C fires: CANCEL the branch (or answer 408 when it saw no provisional)." },
  s16_10: { ref: "RFC 3261 §16.10", says: "A proxy that receives CANCEL cancels its pending client transactions and answers the INVITE 487." },
  s17_1_1_3: {
    ref: "RFC 3261 §17.1.1.3",
    says: "The ACK for a non-2xx final (such as 487) is hop-by-hop: same Call-ID, From, Request-URI, CSeq number and top Via branch as the INVITE, To tag of the response.",
  },
  s17_1_1_2: { ref: "RFC 3261 §17.1.1.2", says: "Timer B (64·T1 = 32 s): the INVITE client transaction gives up when no final response came." },
  s17_2_1: {
    ref: "RFC 3261 §17.2.1",
    says: "The INVITE server transaction retransmits a non-2xx final at Timer G (T1 doubling up to T2) until the ACK arrives or Timer H (64·T1 = 32 s) fires.",
  },
  s17_2_3: { ref: "RFC 3261 §17.2.3", says: "Requests are matched to a server transaction by top Via branch and sent-by." },
  s18_2_1: {
    ref: "RFC 3261 §18.2.1",
    says: "The received/rport a server adds when the top Via's sent-by does not match where the request came from — the trace of a NAT.",
  },
  s20_14: { ref: "RFC 3261 §20.14", says: "Content-Length is the body size in bytes; over UDP a wrong value corrupts or truncates the message." },
  rfc3326: { ref: "RFC 3326", says: 'The Reason header: why a request was cancelled, e.g. SIP;cause=200;text="Call completed elsewhere".' },
  rfc6026: {
    ref: "RFC 6026",
    says: 'After sending a 2xx the INVITE server transaction stays in "Accepted" only to retransmit that 2xx; no other final may follow.',
  },
  rfc6314: { ref: "RFC 6314", says: "NAT traversal practices for SIP, and what middleboxes that rewrite SIP break." },
} satisfies Record<string, RfcRef>;

export const GUIDE: Record<FindingCode, GuideEntry> = {
  "caller-hangup": {
    code: "caller-hangup",
    summary: "The caller gave up before anyone answered: a CANCEL, then the 487 the standard asks for.",
    severity: "info — normal behaviour, explained.",
    meaning: [
      "The phone or UA that sent the original INVITE sent a CANCEL while the call was still ringing, before any final response. The callee side answered the CANCEL 200 and the INVITE 487 Request Terminated, and the caller ACKed the 487.",
      "siplens reports it when the first CANCEL nobody asked for comes from the caller itself (a leg with a single Via that no captured hop forwarded), a 487 follows, and no 2xx is on that path. The ring time is INVITE → CANCEL.",
    ],
    ladder: [
      "INVITE from the caller, 100 Trying and 180 Ringing back, then CANCEL from the caller's lane. Two answers cross back: 200 OK with CSeq method CANCEL and 487 Request Terminated for the INVITE, then the caller's ACK.",
      "Read the CSeq method of each 200: the one for the CANCEL is not an answer to the call.",
    ],
    why: [
      "A person hung up while it rang — by far the commonest 487.",
      "When the trace starts at a proxy and the caller's leg is missing, the proxy's CANCEL may have been relayed or a timer of its own: the finding then carries a lower confidence (0.55) unless the Reason header names a person, and it is re-read as a proxy timeout when the same host cancels calls at one fixed interval.",
    ],
    checkNext: [
      "The ring time: a few seconds is a person; the same value on many calls is a timer (see timer-pattern).",
      "The Reason header on the CANCEL, when present (RFC 3326).",
      "Nothing else — one caller hang-up is not a fault.",
    ],
    rfc: [R.s9_1, R.s9_2, R.s17_1_1_3],
    example: {
      fixture: "examples/caller-hangup.sngrep.txt",
      callId: "1-17549@127.0.11.10",
      caption: "Corpus S1a: SIPp caller and callee over UDP; the caller CANCELs after 2 s of ringing.",
    },
  },
  "fork-branch-lost": {
    code: "fork-branch-lost",
    summary: "A proxy rang several targets, one answered, and the proxy cancelled the others — one 487 per losing branch is normal.",
    severity: "info — normal forking clean-up.",
    meaning: [
      "One INVITE came into a proxy and left it several times with the same Call-ID and From tag but different branches or Request-URIs (a fork). One branch answered 2xx; the proxy then CANCELled the others, which answered 487.",
      'siplens also reports it for a single leg cancelled with Reason cause=200 ("Call completed elsewhere"): a ring group or hunt group that rings each phone on its own Call-ID, where the winning leg is not in this call.',
    ],
    ladder: [
      "One INVITE into the proxy lane, several INVITEs out of it (each branch has its own colour), 180s back on each, a 200 OK on one branch, then CANCEL → 200 → 487 → ACK on each of the others while the winner's 200 goes upstream.",
    ],
    why: [
      "Parallel forking or a ring group: every phone rings and the first to pick up wins (RFC 3261 §16.7).",
      'The proxy often adds Reason: SIP;cause=200;text="Call completed elsewhere" so the losing phones do not log a missed call (RFC 3326).',
    ],
    checkNext: [
      "Nothing, when the call was answered. If users complain about missed-call entries on the other phones, check that the proxy sends the Reason header and the phones honour it.",
    ],
    rfc: [R.s16_7, R.s9_1, R.rfc3326],
    example: {
      fixture: "examples/fork-one-answers.sngrep.txt",
      callId: "1-17893@127.0.20.10",
      caption: "Corpus S2: Kamailio forks to three SIPp phones; one answers, the proxy cancels the other two branches.",
    },
  },
  "no-winner": {
    code: "no-winner",
    summary: "Every forked branch ended in 487 and nobody answered.",
    severity: "info when the caller's CANCEL ended the branches; warning when the proxy cancelled them on its own (a timer).",
    meaning: [
      "A proxy forked the INVITE to several targets (sibling legs of one INVITE), every branch's final response was 487, and no 2xx appears anywhere. The finding says whether the cancels came from the caller (people did not answer) or from the proxy itself (its ringing timer fired), and whether the branches rang in parallel or one after another.",
    ],
    ladder: [
      "An INVITE into the proxy, several INVITEs out, 180 Ringing on each branch, then a CANCEL on every branch and a 487 back from each. When the proxy decided, no CANCEL comes in from the caller first and the caller usually gets 408 or 487 from the proxy.",
    ],
    why: [
      "Nobody picked up and the caller hung up (info).",
      "The proxy's INVITE timer (Kamailio fr_inv_timer, Timer C, a ring-group timeout) fired before anyone answered (warning).",
      "Targets registered but not really reachable, so they never rang.",
    ],
    checkNext: [
      "The proxy's ringing timer against how long the group should ring.",
      "Whether each branch got a 180/183: a branch that never rang points at reachability, not at people.",
    ],
    rfc: [R.s16_7, R.s16_10, R.s9_2],
    example: {
      fixture: "diagnosis/fork-all-timed-out.pcap",
      callId: "1-23982@127.0.220.10",
      caption: "Kamailio 5.6 with fr_inv_timer 3 s forks to three SIPp phones; nobody answers and the proxy's timer cancels all three branches.",
    },
  },
  "proxy-timeout": {
    code: "proxy-timeout",
    summary: "An intermediate proxy or SBC gave up and cancelled on its own.",
    severity: "warning; info when the proxy then tried a next target that answered (serial forking / forward on no answer).",
    meaning: [
      "A proxy sent CANCEL downstream although no CANCEL came to it from upstream: the decision was its own. siplens reports the INVITE → CANCEL interval and the time since the last provisional, matches them against known timers (Timer B 32 s, Timer C 180 s, 30/60/90 s no-answer timers, the 120 s Kamailio/OpenSIPS fr_inv_timer default) or calls the value a configured timer, and says what the proxy answered upstream (408, or a 487 the caller never asked for).",
    ],
    ladder: [
      "INVITE caller → proxy → callee, 180 Ringing back, a pause, then a CANCEL starting at the proxy's lane towards the callee with no CANCEL arriving from the caller before it. The callee answers 200 (CANCEL) and 487; the proxy answers the caller 408 (or 487).",
    ],
    why: [
      "A no-answer / INVITE final-response timer on the proxy (Kamailio fr_inv_timer, Timer C) shorter than people need to answer.",
      "Forward-on-no-answer to voicemail or a next target (then the finding is info).",
    ],
    checkNext: [
      "The proxy's INVITE/ringing timer settings against the interval shown.",
      "Whether many calls end at the same interval (see timer-pattern) — then it is certainly a timer.",
      "What the caller received: a 487 it never asked for confuses call-detail records and retry logic.",
    ],
    rfc: [R.s16_6, R.s16_8, R.s9_1],
    example: {
      fixture: "diagnosis/fork-all-timed-out.pcap",
      callId: "1-23982@127.0.220.10",
      caption: "Kamailio 5.6 with fr_inv_timer 3 s: the proxy cancels every branch 3 s after forking and answers the caller 408.",
    },
  },
  "cancel-200-race": {
    code: "cancel-200-race",
    summary: "The callee answered at almost the same instant the caller cancelled.",
    severity: "warning.",
    meaning: [
      "The CANCEL that ended the call and a 2xx for the INVITE were in flight at the same time on the same path. siplens says who won and gives the gap in ms (CANCEL − first 2xx):",
      "the 2xx won — the CANCEL is answered 200 or 481 and has no effect; the caller must ACK the 2xx and send BYE (the callee hears an instant hang-up);",
      "the CANCEL won — the INVITE got 487, yet a late 2xx arrives and must still be ACKed and ended with BYE, or the callee keeps a call nobody is on.",
    ],
    ladder: [
      "INVITE, 180, then a CANCEL going one way and a 200 OK (CSeq INVITE) going the other way a few milliseconds apart. Afterwards: ACK and BYE from the caller (2xx won), or 487 plus a late 200 that is ACKed and BYEd. Repeated 200s without an ACK mean the caller ignored the answer.",
    ],
    why: [
      "A person hung up just as the other picked up — a genuine race that SIP resolves with ACK + BYE.",
      "Automatic diallers or IVRs that cancel on a timer close to the moment callees answer.",
    ],
    checkNext: [
      "That the caller ACKs a 2xx that arrives after its CANCEL and then sends BYE (RFC 3261 §15); otherwise the callee retransmits the 2xx and drops the call when Timer H runs out (§13.3.1.4).",
      "Many races on one route: look at the caller's cancel timer.",
    ],
    rfc: [R.s9_1, R.s9_2, R.s15_1_2, R.s13_3_1_4, R.s15],
    example: {
      fixture: "examples/cancel-200-race.ngrep.txt",
      callId: "1-18936@127.0.53.12",
      caption: "Corpus S5c: callers through Kamailio cancel within milliseconds of the callee's 200 OK.",
    },
  },
  "missing-ack": {
    code: "missing-ack",
    summary: "The 487 was never acknowledged (or its ACK does not match it).",
    severity: "error — a protocol fault.",
    meaning: [
      "A 487 needs a hop-by-hop ACK with the INVITE's top Via branch, the 487's To tag and the INVITE's CSeq number. siplens reports it when:",
      "the same 487 is sent two or more times with no ACK of its branch (UDP retransmissions at Timer G spacing, checked against 0.5, 1, 2, 4, 4 … s and Timer H); or over TCP/TLS a single 487 is followed by at least 2 s of capture and no ACK; or an ACK was captured but the 487 kept being retransmitted (the ACK is not reaching the sender); or the ACK that came has the wrong branch, To tag or CSeq.",
    ],
    ladder: [
      "CANCEL, 200, 487 — then the same 487 again and again (drawn dashed, ↻) with growing gaps, and no ACK arrow going back. With a mismatched ACK there is an ACK arrow, but its branch differs from the INVITE's.",
    ],
    why: [
      "NAT or a firewall that drops or misroutes the ACK (the 487 reached the caller, the ACK did not come back).",
      "A SIP ALG rewriting Via/Contact so the ACK goes to the wrong address.",
      "A UA bug: an ACK built like a new request (new branch), which a strict server does not match to the INVITE transaction.",
    ],
    checkNext: [
      "Where the ACK is routed: the 487's Via, the caller's NAT binding and any SIP ALG between the capture point and the 487's sender.",
      "That the caller sends the ACK with the INVITE's branch and CSeq number and the 487's To tag (RFC 3261 §17.1.1.3).",
    ],
    rfc: [R.s17_1_1_3, R.s17_2_1],
    example: {
      fixture: "examples/missing-ack.pcap",
      callId: "1-18159@127.0.61.10",
      caption: "Corpus S6a: the caller CANCELs and never ACKs; the callee retransmits the 487 at Timer G spacing.",
    },
  },
  "487-without-cancel": {
    code: "487-without-cancel",
    summary: "A 487 with no CANCEL before it anywhere in the trace.",
    severity: "warning; info when a pending re-INVITE was ended by BYE (normal, RFC 3261 §15.1.2).",
    meaning: [
      "An INVITE leg got 487 although no CANCEL for it, or for any leg it was forwarded from, appears in the trace. siplens lists the explanations the trace supports, ranked, and never invents one it cannot show:",
      "a re-INVITE still pending when a BYE ended the dialog (normal); a proxy below that cancelled its own branch and reported 487 upstream instead of 408; the INVITE's Expires ran out; a B2BUA/SBC ending this leg because its other leg (another Call-ID from the same host, just before) was cancelled; the UAS's own no-answer timer (settled when many calls end at one fixed interval); or a CANCEL on a leg the capture did not see.",
    ],
    ladder: [
      "INVITE, 100/180, then a 487 out of the blue — no CANCEL arrow anywhere before it on this call — and the ACK. For the BYE case: an answered call, a re-INVITE, a BYE, then 200 (BYE) and 487 (re-INVITE).",
    ],
    why: [
      "The capture holds only one side of a B2BUA or SBC, which ended this leg for a reason on its other side.",
      "A no-answer timer on the callee or an SBC that answers 487 rather than 408/480.",
      "The CANCEL travelled on another interface, over TLS, or before the first captured hop.",
    ],
    checkNext: [
      "The candidates in the finding's details, best first, and the confidence: two close readings lower it.",
      "Capture the other leg of the B2BUA/SBC, or at a point before it, to see the CANCEL or the reason.",
      "The same interval across many calls (see timer-pattern): a timer on the host that sent the 487.",
    ],
    rfc: [R.s9_2, R.s15_1_2, R.s13_3_1],
    example: {
      fixture: "diagnosis/b2bua-other-leg.pcap",
      callId: "1-2765@127.0.218.10",
      caption: "SIPp as a B2BUA's two legs on separate Call-IDs: leg B is cancelled, and 0.5 s later the B2BUA ends leg A with 487 and no CANCEL.",
    },
  },
  "final-mapped-to-487": {
    code: "final-mapped-to-487",
    summary: "A proxy got another final response from downstream (603, 486, 480 …) and answered upstream with 487 instead.",
    severity: "warning.",
    meaning: [
      'A 487 reached the caller although nobody sent a CANCEL, and the proxy\'s downstream branch had just ended with a different non-2xx final — a 603 Decline, 486 Busy Here, 480 Temporarily Unavailable — before that 487. No CANCEL went down that branch either. A 487 means "cancelled at your request", so the proxy rewrote the real answer instead of forwarding the best response as RFC 3261 §16.7 asks.',
      "siplens ranks this reading above the other explanations of a 487 without CANCEL and names the status it replaced, the branch that got it and how long after it the 487 went upstream.",
    ],
    ladder: [
      "INVITE caller → proxy → callee, 180 Ringing back, then the callee's final (e.g. 603 Decline) to the proxy with the proxy's ACK — and moments later a 487 Request Terminated from the proxy to the caller. No CANCEL arrow anywhere.",
    ],
    why: [
      'A failure route or response-mapping rule on the proxy/SBC that answers 487 for every failure (for example a Kamailio failure_route that calls t_reply("487")).',
      'A PBX or B2BUA that reports any unanswered outcome as "terminated".',
    ],
    checkNext: [
      "The proxy's failure route: forward the best final (RFC 3261 §16.7 step 6) — here the status the finding names — so the caller, forward-on-busy/decline logic and call records see the real cause.",
      "Call-detail records that count these calls as caller hang-ups.",
    ],
    rfc: [R.s16_7, R.s9_2, R.s15_1_2],
    // Fill in once diagnosis/final-mapped-to-487.pcap (branch dx-forks) is on main:
    example: {
      fixture: "diagnosis/final-mapped-to-487.pcap",
      callId: "1-22699@127.0.32.11",
      caption: "Kamailio with a failure_route that answers 487 for any final ≥ 400: the SIPp callee rings 1 s and declines 603; the caller gets 487.",
    },
  },
  "487-after-2xx": {
    code: "487-after-2xx",
    summary: "A UAS sent 487 for an INVITE it had already answered with 2xx.",
    severity: "error — a fault in that UAS's transaction handling.",
    meaning: [
      "The same INVITE leg got a 2xx and, after it, a 487 Request Terminated. Once a UAS has sent a 2xx the INVITE is over: it may only retransmit the 2xx until the ACK comes (RFC 3261 §13.3.1.4, §17.2.1; RFC 6026), never send another final. siplens reports it on the deepest leg where it happens — that leg's UAS is at fault — instead of a 487 without CANCEL.",
      "The finding says whether the 2xx was ACKed, whether the UAS kept retransmitting the 2xx after the ACK (it never matched the ACK), and whether a BYE came before the 487: the UAS then treated the answered INVITE as still pending, but the BYE rule (§15.1.2) does not apply to an answered INVITE.",
    ],
    ladder: [
      "INVITE, 180, 200 OK (CSeq INVITE), the caller's ACK — often 200 OK retransmissions after it — then BYE, and from the callee a 487 Request Terminated for the INVITE followed by 200 OK (BYE).",
    ],
    why: [
      "A UAS or B2BUA that does not match the ACK for its 2xx (check the ACK's Request-URI and Route, which follow the 2xx's Contact and Record-Route) and so still sees the INVITE as pending.",
      "A UAS that answers every pending INVITE with 487 on BYE without checking that it was answered.",
    ],
    checkNext: [
      "How that UAS matches ACKs for 2xx, and where the ACK is sent (Contact, Record-Route).",
      "Call records that look at the last final: they show the set-up call as failed. The call itself was set up; the 487 is harmless only if the peer ignores it.",
    ],
    rfc: [R.s13_3_1_4, R.s17_2_1, R.s15_1_2, R.rfc6026],
    // Fill in once diagnosis/uas-487-after-200.pcap (branch dx-forks) is on main:
    example: {
      fixture: "diagnosis/uas-487-after-200.pcap",
      callId: "1-22099@127.0.32.12",
      caption: "SIPp callee that answers 200, never matches the ACK, and answers the already answered INVITE 487 when the BYE comes.",
    },
  },
  "late-cancel": {
    code: "late-cancel",
    summary: "A CANCEL arrived after the INVITE was already answered or had failed.",
    severity: "info — harmless, but the UA is not tracking its transactions.",
    meaning: [
      "The UA that sent the CANCEL already had the INVITE's final response: it had ACKed a 2xx, or the 2xx had reached it more than 4 s before (no race), or the INVITE had a non-2xx final before the CANCEL. The CANCEL is answered 481 or 200 and changes nothing; no 487 follows.",
    ],
    ladder: ["INVITE, 180, 200 OK, ACK — then, later, a CANCEL answered 481 (or 200), and the BYE that really ends the call."],
    why: ["A UA whose hang-up logic sends CANCEL without checking that the call was answered.", "A CANCEL retransmitted or delayed far beyond the answer."],
    checkNext: ["The UA's hang-up logic: an answered call ends with BYE (RFC 3261 §15)."],
    rfc: [R.s9_1, R.s9_2, R.s15],
    example: {
      fixture: "diagnosis/late-cancel.pcap",
      callId: "1-20932@127.0.210.10",
      caption: "SIPp over UDP: the INVITE is answered and ACKed; 1 s later a CANCEL for it (481), then BYE.",
    },
  },
  "cancel-unmatched": {
    code: "cancel-unmatched",
    summary: "A CANCEL that matched no INVITE (answered 481), or a 481 to a CANCEL while the INVITE was still pending.",
    severity: "warning.",
    meaning: [
      "A CANCEL must carry the same top Via branch as the INVITE it cancels on that hop. siplens reports a CANCEL whose branch matches no INVITE while the INVITE on that hop is in the trace (or a 481 came back), and a 481 to a CANCEL while its INVITE had no final response yet. Races and late CANCELs are excluded — they have their own findings.",
    ],
    ladder: [
      "INVITE, 180, a CANCEL answered 481 Call/Transaction Does Not Exist while the INVITE keeps ringing; often a second, correct CANCEL follows and gets 200 + 487.",
    ],
    why: ["A UA bug that builds the CANCEL with a new Via branch.", "A middlebox rewriting the Via of one request but not the other."],
    checkNext: ["Compare the Via, From/To and CSeq of the INVITE and the CANCEL as they arrived at the host that answered 481."],
    rfc: [R.s9_1, R.s9_2, R.s17_2_3],
    example: {
      fixture: "diagnosis/cancel-wrong-branch.pcap",
      callId: "1-21186@127.0.211.10",
      caption: "SIPp over UDP: a CANCEL with another Via branch than its INVITE (481), then the correct CANCEL (200, 487, ACK).",
    },
  },
  "alg-suspect": {
    code: "alg-suspect",
    summary: "A middlebox (SIP ALG, NAT) may be rewriting or breaking SIP.",
    severity: "warning.",
    meaning: [
      "siplens reports signs a device in the path changed messages: the same INVITE or answer seen at two capture points with a different Via, Contact or SDP c= line; a UDP message whose Content-Length differs from its body by more than line-ending changes; a CANCEL whose branch differs from its INVITE's on the same hop; private addresses in Contact or c= sent from a public address on a call that failed.",
    ],
    ladder: [
      "Nothing looks wrong in the arrows themselves — the finding marks the message whose headers or body do not add up; open it to see the header and the measured lengths.",
    ],
    why: [
      "A SIP ALG on a router or firewall rewriting addresses (often badly).",
      "A NAT without SIP awareness, leaving private addresses in Contact/SDP.",
      "A UA or SBC that builds Content-Length wrongly.",
    ],
    checkNext: [
      "Turn off the SIP ALG on the firewall/router and compare the messages on both sides of it.",
      "The body length against Content-Length in the marked message.",
    ],
    rfc: [R.s18_2_1, R.s20_14, R.rfc6314],
    example: {
      fixture: "diagnosis/bad-content-length.pcap",
      callId: "1-15911@127.0.219.10",
      caption: "SIPp over UDP: the callee's 183 says Content-Length 340 but carries a 113-byte SDP; then 486 Busy.",
    },
  },
  "cluster-487": {
    code: "cluster-487",
    summary: "A trace-wide pattern: 487s concentrated on one destination, one cancelling host or one time window.",
    severity:
      "warning when the network ends the calls (proxy timeouts, no winner, 487 without CANCEL, missing ACK dominate, or a host cancels on its own); info when callers give up.",
    meaning: [
      "A single 487 is usually a person hanging up; a problem shows as a pattern. siplens groups the calls of the whole trace (at least 3) and reports:",
      "a destination (Request-URI user@host) where an unusual share of INVITEs end in 487, with the dominant cause; a host that cancelled calls on its own, with no CANCEL from upstream; a time window — the shortest one holding 80 % of the failed 487s — where the share of 487s is far above the rest of the trace.",
    ],
    ladder: [
      "The same shape repeated call after call: INVITE, ringing, 487 — all to the same destination, from the same canceller or inside the same few seconds. The finding's evidence is the deciding message of each call.",
    ],
    why: [
      "A route or destination that does not answer in time (callers give up: info).",
      "A proxy or SBC timer or policy ending calls to that destination (warning).",
      "An outage or change in the window.",
    ],
    checkNext: [
      "The route and timers towards that destination, or the logs of the cancelling host and the network for that window.",
      "Open a few of the calls: each has its own finding saying who ended it.",
    ],
    rfc: [R.s16_6, R.s16_8],
    example: {
      fixture: "diagnosis/uas-487-timer.pcap",
      callId: "1-23204@127.0.215.10",
      caption: "Five SIPp calls the callee ends itself with 487 exactly 2 s after the INVITE, no CANCEL anywhere.",
    },
  },
  "timer-pattern": {
    code: "timer-pattern",
    summary: "A trace-wide pattern: many calls ended by one host at the same interval — a timer, not people.",
    severity: "warning when a proxy cancels at the interval or a host answers 487 at it; info otherwise.",
    meaning: [
      "For each host that decided to end calls, siplens looks at the INVITE → CANCEL interval (or INVITE → 487 when there was no CANCEL) across calls and reports a sharp peak: at least 3 calls within a timer's jitter of one value. It names the timer when the value matches one (Timer B 32 s, Timer C 180 s, 30/60/90/120 s no-answer timers) and otherwise calls it a configured timer.",
    ],
    ladder: [
      "Call after call, the CANCEL (or the 487) leaves the same lane the same time after its INVITE — in the ladder's time column the intervals line up.",
    ],
    why: [
      "A no-answer or INVITE timer on a proxy, SBC, PBX or the callee (fr_inv_timer, Timer C, a ring timeout).",
      "An automatic caller giving up after a fixed ring time.",
    ],
    checkNext: ["Which timer on the named host is set to about that value, and whether it should be longer than people need to answer."],
    rfc: [R.s16_6, R.s17_1_1_2],
    example: {
      fixture: "diagnosis/uas-487-timer.pcap",
      callId: "1-23204@127.0.215.10",
      caption: "Five SIPp calls the callee ends itself with 487 exactly 2 s after the INVITE.",
    },
  },
};

export function guideEntry(code: string): GuideEntry | undefined {
  return Object.hasOwn(GUIDE, code) ? GUIDE[code as FindingCode] : undefined;
}
