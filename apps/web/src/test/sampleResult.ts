import type { AnalysisResult, CallView, Finding, LadderRow, SipMessageView } from "@siplens/contracts";

/**
 * Builds analysis results shaped like the analyzer's output, for component tests:
 * a caller-hangup call (with a retransmitted INVITE) and a forked call where one branch answers.
 */
interface Step {
  from: string;
  to: string;
  label: string;
  method: string;
  status?: number;
  cseq: string;
  branch: string;
  dt: number;
  retransmissionOf?: number;
  branchIndex?: number;
}

const HOSTS: Record<string, { ip: string; name: string }> = {
  A: { ip: "127.0.11.10", name: "caller (127.0.11.10)" },
  P: { ip: "127.0.11.1", name: "proxy (127.0.11.1)" },
  B: { ip: "127.0.11.21", name: "127.0.11.21" },
  C: { ip: "127.0.11.22", name: "127.0.11.22" },
};

function rawFor(step: Step, callId: string): string {
  const first = step.status ? `SIP/2.0 ${step.label}` : `${step.method} sip:2001@${HOSTS[step.to]?.ip} SIP/2.0`;
  return [
    first,
    `Via: SIP/2.0/UDP ${HOSTS[step.from]?.ip}:5060;branch=${step.branch}`,
    `From: "Caller 1001" <sip:1001@127.0.11.10>;tag=abc`,
    `To: <sip:2001@127.0.11.21>`,
    `Call-ID: ${callId}`,
    `CSeq: ${step.cseq}`,
    `Content-Length: 0`,
    "",
    "",
  ].join("\r\n");
}

function buildCall(callId: string, steps: Step[], startIndex: number, startTime: number, findings: Finding[], outcome: CallView["outcome"]) {
  const messages: SipMessageView[] = [];
  const rows: LadderRow[] = [];
  let time = startTime;
  let previous: number | null = null;
  steps.forEach((step, i) => {
    time += step.dt;
    const index = startIndex + i;
    const [seq, cseqMethod] = step.cseq.split(" ");
    const transactionId = `${step.branch}:${cseqMethod === "ACK" ? "INVITE" : cseqMethod}`;
    messages.push({
      index,
      time,
      src: { ip: HOSTS[step.from]!.ip, port: 5060 },
      dst: { ip: HOSTS[step.to]!.ip, port: 5060 },
      transport: "udp",
      where: `frame ${index + 1}`,
      kind: step.status ? "response" : "request",
      method: step.method,
      status: step.status,
      reasonPhrase: step.status ? step.label.slice(4) : undefined,
      callId,
      cseq: { seq: Number(seq), method: cseqMethod ?? step.method },
      fromTag: "abc",
      branch: step.branch,
      viaCount: 1,
      label: step.label,
      transactionId,
      retransmissionOf: step.retransmissionOf === undefined ? undefined : startIndex + step.retransmissionOf,
      problems: [],
      headers: [
        { name: "Call-ID", value: callId },
        { name: "CSeq", value: step.cseq },
      ],
      raw: rawFor(step, callId),
    });
    rows.push({
      index,
      from: step.from,
      to: step.to,
      label: step.label,
      time,
      delta: previous == null ? null : time - previous,
      sinceStart: time - startTime,
      transactionId,
      callId,
      retransmission: step.retransmissionOf !== undefined,
      branchIndex: step.branchIndex ?? 0,
    });
    previous = time;
  });
  const hosts = [...new Set(steps.flatMap((s) => [s.from, s.to]))];
  const call: CallView = {
    callId,
    messageCount: messages.length,
    messageIndices: messages.map((m) => m.index),
    from: "sip:1001@127.0.11.10",
    to: "sip:2001@127.0.11.21",
    startTime: messages[0]?.time ?? null,
    endTime: messages.at(-1)?.time ?? null,
    outcome,
    hosts,
    transactions: [],
    branches: new Set(steps.map((s) => s.branchIndex ?? 0)).size,
    findings,
  };
  return { messages, rows, call };
}

const inv = (from: string, to: string, branch: string, dt: number, extra: Partial<Step> = {}): Step => ({ from, to, label: "INVITE", method: "INVITE", cseq: "1 INVITE", branch, dt, ...extra });
const res = (from: string, to: string, status: number, text: string, branch: string, dt: number, cseq = "1 INVITE", extra: Partial<Step> = {}): Step => ({
  from, to, label: `${status} ${text}`, method: cseq.split(" ")[1] ?? "INVITE", status, cseq, branch, dt, ...extra,
});

export function sampleResult(): AnalysisResult {
  const hangupFinding: Finding = {
    id: "f1",
    code: "caller-hangup",
    severity: "info",
    title: "Caller hung up before answer",
    explanation: "The caller cancelled the INVITE after 4.2 s of ringing; the callee answered the INVITE with 487.",
    evidence: [0, 4, 6],
    rfc: ["RFC 3261 §9.1", "RFC 3261 §15.1.2"],
    confidence: 0.95,
    callIds: ["call-1@test"],
    details: { ringTimeMs: 4200, cancelOriginHost: "A" },
  };
  const forkFinding: Finding = {
    id: "f2",
    code: "fork-branch-lost",
    severity: "info",
    title: "Forked branch cancelled after another answered",
    explanation: "The proxy rang two phones; one answered so the proxy cancelled the other.",
    evidence: [11, 14, 16],
    rfc: ["RFC 3261 §16.7", "RFC 3326"],
    confidence: 0.9,
    callIds: ["call-2@test"],
    details: { winner: "C", reason: "SIP;cause=200;text=\"Call completed elsewhere\"" },
  };
  const a = buildCall(
    "call-1@test",
    [
      inv("A", "B", "z9hG4bK-1", 0),
      inv("A", "B", "z9hG4bK-1", 0.5, { retransmissionOf: 0 }),
      res("B", "A", 100, "Trying", "z9hG4bK-1", 0.01),
      res("B", "A", 180, "Ringing", "z9hG4bK-1", 0.05),
      { from: "A", to: "B", label: "CANCEL", method: "CANCEL", cseq: "1 CANCEL", branch: "z9hG4bK-1", dt: 4.2 },
      res("B", "A", 200, "OK", "z9hG4bK-1", 0.01, "1 CANCEL"),
      res("B", "A", 487, "Request Terminated", "z9hG4bK-1", 0.01),
      { from: "A", to: "B", label: "ACK", method: "ACK", cseq: "1 ACK", branch: "z9hG4bK-1", dt: 0.01 },
    ],
    0,
    1_795_000_000,
    [hangupFinding],
    "cancelled",
  );
  const b = buildCall(
    "call-2@test",
    [
      inv("A", "P", "z9hG4bK-2", 0),
      inv("P", "B", "z9hG4bK-2a", 0.01, { branchIndex: 0 }),
      inv("P", "C", "z9hG4bK-2b", 0.001, { branchIndex: 1 }),
      res("P", "A", 100, "Trying", "z9hG4bK-2", 0.001),
      res("B", "P", 180, "Ringing", "z9hG4bK-2a", 0.05),
      res("C", "P", 200, "OK", "z9hG4bK-2b", 2, "1 INVITE", { branchIndex: 1 }),
      { from: "P", to: "B", label: "CANCEL", method: "CANCEL", cseq: "1 CANCEL", branch: "z9hG4bK-2a", dt: 0.01 },
      res("P", "A", 200, "OK", "z9hG4bK-2", 0.001),
      res("B", "P", 487, "Request Terminated", "z9hG4bK-2a", 0.01),
    ],
    8,
    1_795_000_010,
    [forkFinding],
    "answered",
  );
  const messages = [...a.messages, ...b.messages];
  return {
    format: "pcap",
    formatName: "pcap (libpcap)",
    messageCount: messages.length,
    duplicatesDropped: 0,
    inputBytes: 4096,
    startTime: messages[0]?.time ?? null,
    endTime: messages.at(-1)?.time ?? null,
    oneSided: false,
    messages,
    calls: [a.call, b.call],
    findings: [hangupFinding, forkFinding],
    ladder: {
      lanes: Object.entries(HOSTS).map(([id, host]) => ({ id, name: host.name, addresses: [`${host.ip}:5060`] })),
      rows: [...a.rows, ...b.rows],
    },
    coverage: ["caller → callee"],
    problems: [],
  };
}

/** A large trace made of copies of the sample's first call with new Call-IDs (virtualization tests). */
export function bigResult(copies: number): AnalysisResult {
  const base = sampleResult();
  const callMessages = base.messages.filter((m) => m.callId === "call-1@test");
  const callRows = base.ladder.rows.filter((r) => r.callId === "call-1@test");
  const messages: SipMessageView[] = [];
  const rows: LadderRow[] = [];
  const calls: CallView[] = [];
  for (let c = 0; c < copies; c++) {
    const callId = `bulk-${c}@test`;
    const offset = c * callMessages.length;
    const shift = c * 0.25;
    callMessages.forEach((m, i) => messages.push({ ...m, index: offset + i, callId, time: (m.time ?? 0) + shift, retransmissionOf: m.retransmissionOf === undefined ? undefined : offset + m.retransmissionOf }));
    callRows.forEach((r, i) => rows.push({ ...r, index: offset + i, callId, time: (r.time ?? 0) + shift, transactionId: `${r.transactionId}-${c}` }));
    calls.push({ ...base.calls[0]!, callId, messageIndices: callMessages.map((_, i) => offset + i), findings: [] });
  }
  return { ...base, messages, calls, findings: [], messageCount: messages.length, ladder: { lanes: base.ladder.lanes, rows } };
}
