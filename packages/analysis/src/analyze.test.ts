import { createHmac } from "node:crypto";
import { analysisResultSchema } from "@siplens/contracts";
import { describe, expect, it } from "vitest";
import {
  NotATraceError,
  analyzeBytes,
  analyzeBytesToParts,
  analyzeText,
  createAnalyzer,
  createPartRedactor,
  createRedaction,
  ladderRowsOf,
  redactResult,
  resultDocument,
} from "./index.js";
import { traceBytes } from "../test/corpus.js";

const read = traceBytes;

describe("pipeline", () => {
  it("produces a result that satisfies the contract, with calls, ladder and coverage", () => {
    const result = analyzeBytes(read("S2_fork_one_answers_others_cancelled"));
    expect(() => analysisResultSchema.parse(result)).not.toThrow();
    expect(result.format).toBe("pcap");
    const invite = result.calls.find((c) => c.outcome !== "no-invite")!;
    expect(invite.outcome).toBe("answered");
    expect(invite.branches).toBe(3);
    expect(result.messages).toHaveLength(result.messageCount);
    expect(result.coverage.length).toBeGreaterThan(1);
    const first = result.messages[0]!;
    expect(first.raw).toMatch(/^(?:[A-Z]+ sips?:|SIP\/2\.0 \d{3} )/);
    expect(first.headers).toBeUndefined();
  });

  it("leaves raw text out when asked", () => {
    const result = resultDocument(analyzeBytesToParts(read("S1a_caller_hangup_direct_udp")), { includeRaw: false });
    expect(result.messages.every((m) => m.raw === undefined)).toBe(true);
    expect(result.calls[0]!.outcome).toBe("cancelled");
  });

  it("gives the same result streamed in small chunks as in one piece, with progress", () => {
    const bytes = read("S3_fork_caller_cancels_all_branches_487", "pcapng");
    const whole = analyzeBytes(bytes);
    const seen: number[] = [];
    const analyzer = createAnalyzer({ onProgress: (n) => seen.push(n) });
    for (let p = 0; p < bytes.length; p += 333) analyzer.push(bytes.subarray(p, p + 333));
    expect(resultDocument(analyzer.finish())).toEqual(whole);
    expect(seen.at(-1)).toBe(bytes.length);
  });

  it("throws NotATraceError naming the formats tried for input that is no trace", () => {
    const garbage = new TextEncoder().encode("Dear diary,\nthe weather was nice today.\n".repeat(50));
    try {
      analyzeBytes(garbage);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NotATraceError);
      const tried = (e as NotATraceError).tried;
      expect(tried).toContain("pcap");
      expect(tried.length).toBeGreaterThan(5);
    }
    expect(() => analyzeBytes(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(NotATraceError);
  });

  it("reports a malformed message with its location and analyses the rest", () => {
    const good = analyzeBytes(read("S1b_caller_hangup_via_kamailio_udp"));
    const raws = good.messages.map((m) => m.raw!);
    raws[4] = raws[4]!.replace(/^Call-ID:.*\r?\n/im, "").replace(/^CSeq:.*\r?\n/im, "");
    const result = analyzeText(raws.join("\r\n"));
    expect(result.messageCount).toBe(good.messageCount - 1);
    const problem = result.problems.find((p) => p.severity === "error")!;
    expect(problem.message).toMatch(/#5 .*malformed.*(Call-ID|CSeq)/);
    expect(problem.where).toMatch(/line \d+/);
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]!.outcome).toBe("cancelled");
  });

  it("turns a failing diagnosis into a problem instead of losing the analysis", () => {
    const result = analyzeBytes(read("S1a_caller_hangup_direct_udp"), {
      diagnose: () => {
        throw new Error("boom");
      },
    });
    expect(result.messageCount).toBeGreaterThan(0);
    expect(result.problems.some((p) => p.where === "diagnosis" && p.message.includes("boom"))).toBe(true);
  });
});

describe("ladder", () => {
  const result = analyzeBytes(read("S2_fork_one_answers_others_cancelled"));
  const parts = analyzeBytesToParts(read("S2_fork_one_answers_others_cancelled"));

  it("has one row per message with times relative to the first row and fork branch colours", () => {
    const rows = ladderRowsOf(result.messages);
    expect(rows[0]!.sinceStart).toBe(0);
    expect(rows[0]!.delta).toBeNull();
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.delta).toBeCloseTo(rows[i]!.time! - rows[i - 1]!.time!, 9);
      expect(rows[i]!.sinceStart).toBeCloseTo(rows[i]!.time! - rows[0]!.time!, 9);
    }
    const branches = new Set(rows.filter((r) => r.label === "INVITE").map((r) => r.branchIndex));
    expect(branches).toEqual(new Set([0, 1, 2]));
    const invite = result.calls.find((c) => c.branches === 3)!;
    const cancelRows = rows.filter((r) => r.label === "CANCEL");
    expect(cancelRows.every((r) => r.branchIndex > 0)).toBe(true);
    expect(cancelRows.every((r) => r.callId === invite.callId)).toBe(true);
  });

  it("gives each call its own messages, rows timed from the call's start, and its transactions", () => {
    const details = [...parts.callDetails()];
    expect(details.map((d) => d.callId)).toEqual(result.calls.map((c) => c.callId));
    const register = details.find((d) => d.outcome === "no-invite")!;
    const rows = ladderRowsOf(register.messages);
    expect(rows.every((r) => r.callId === register.callId)).toBe(true);
    expect(rows[0]!.sinceStart).toBe(0);
    expect(new Set(rows.flatMap((r) => [r.from, r.to])).size).toBe(2);
    const invite = details.find((d) => d.branches === 3)!;
    expect(invite.messages.map((m) => m.index)).toEqual(result.calls.find((c) => c.branches === 3)!.messageIndices);
    expect(invite.findings.map((f) => f.code)).toContain("fork-branch-lost");
  });

  it("stores messages in blocks that together hold every message once, raw text apart", () => {
    const blocks = [...parts.messageBlocks()];
    expect(blocks.flatMap((b) => b.messages.map((m) => m.index))).toEqual(result.messages.map((m) => m.index));
    expect(blocks.flatMap((b) => b.raw)).toEqual(result.messages.map((m) => m.raw));
    expect(blocks[0]!.startTime).toBe(result.startTime);
  });
});

describe("redaction", () => {
  const result = analyzeBytes(read("S1b_caller_hangup_via_kamailio_udp"));
  const redacted = redactResult(result);
  const text = JSON.stringify(redacted);

  it("removes every IP address and user part", () => {
    expect(text).not.toMatch(/127\.0\.12\.\d+/);
    expect(text).not.toContain("sip:1001@");
    expect(text).not.toContain("sip:2001@");
    expect(JSON.stringify(result)).toContain("127.0.12.10");
  });

  it("maps the same value to the same pseudonym everywhere", () => {
    const caller = redacted.lanes[0]!.id;
    expect(caller).toBe("host-1");
    expect(redacted.messages[0]!.src!.ip).toBe(caller);
    expect(redacted.calls[0]!.hosts[0]).toBe(caller);
    expect(redacted.messages[0]!.raw).toContain(`SIP/2.0/UDP ${caller}:5060`);
    expect(redacted.calls[0]!.callId).toBe(redacted.messages[0]!.callId);
    // A Call-ID is one pseudonym whole: its local part may carry a customer id.
    expect(redacted.calls[0]!.callId).toMatch(/^call-\d+$/);
    expect(redacted.messages[0]!.raw).toContain(`Call-ID: ${redacted.calls[0]!.callId}`);
    const user = /sip:(user-\d+)@/.exec(redacted.calls[0]!.from!)![1]!;
    expect(redacted.messages[0]!.raw).toContain(`sip:${user}@`);
    expect(redacted.messages.map((r) => r.label)).toEqual(result.messages.map((r) => r.label));
    expect(() => analysisResultSchema.parse(redacted)).not.toThrow();
  });
  it("hides unquoted display names and digest credentials, and rewrites a title the same way", () => {
    const invite = [
      "INVITE sip:4930123456@carrier.example.net SIP/2.0",
      "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-77a1",
      "Max-Forwards: 70",
      "From: Alice Smith <sip:alice@pbx.example.com>;tag=a1",
      "To: <sip:4930123456@carrier.example.net>",
      "Call-ID: c1@198.51.100.7",
      "CSeq: 2 INVITE",
      'Proxy-Authorization: Digest username="acct-9001", realm="carrier.example.net", nonce="5f2a9c", uri="sip:4930123456@carrier.example.net", response="0c1d2e3f4a5b"',
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    const { result: hidden, text } = createRedaction(analyzeText(invite));
    const json = JSON.stringify(hidden);
    for (const secret of ["Alice Smith", "acct-9001", "5f2a9c", "0c1d2e3f4a5b", "198.51.100.7", "4930123456", "carrier.example.net"]) {
      expect(json).not.toContain(secret);
    }
    expect(hidden.messages[0]!.raw).toMatch(/From: name-\d+ <sip:user-\d+@host-\d+>/);
    const title = text("INVITE sip:4930123456@carrier.example.net from Alice Smith");
    expect(title).not.toMatch(/4930123456|carrier|Alice/);
    expect(title).toContain(/sip:(user-\d+)@/.exec(hidden.messages[0]!.raw ?? "")![1]!);
  });

  it("redacts parts one at a time with an injected keyed pseudonym, consistently across parts and redactors", () => {
    const keyed = (key: string) => (kind: string, value: string) => `${kind}-${createHmac("sha256", key).update(`${kind}:${value}`).digest("hex").slice(0, 8)}`;
    const parts = analyzeBytesToParts(read("S2_fork_one_answers_others_cancelled"));
    const details = [...parts.callDetails()];
    expect(details.length).toBeGreaterThan(1);
    // Two redactors (two requests) with the same key: each sees one part only.
    const first = createPartRedactor(keyed("k1")).part(details[0]!);
    const second = createPartRedactor(keyed("k1")).part(details[1]!);
    const ips = new Set(parts.overview.lanes.flatMap((l) => l.addresses.map((a) => a.replace(/:\d+$/, ""))));
    for (const part of [first, second]) {
      const json = JSON.stringify(part);
      for (const ip of ips) expect(json).not.toContain(ip);
      expect(json).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b/);
    }
    const sharedHost = details[0]!.hosts.find((h) => details[1]!.hosts.includes(h));
    expect(sharedHost).toBeDefined();
    const i0 = details[0]!.hosts.indexOf(sharedHost!);
    const i1 = details[1]!.hosts.indexOf(sharedHost!);
    expect(first.hosts[i0]).toMatch(/^host-[0-9a-f]{8}/);
    expect(first.hosts[i0]).toBe(second.hosts[i1]);
    // Another key, other pseudonyms.
    expect(createPartRedactor(keyed("k2")).part(details[0]!).hosts[i0]).not.toBe(first.hosts[i0]);
    // A title gets the pseudonyms of the parts.
    const redactor = createPartRedactor(keyed("k1"));
    expect(redactor.text(`call from ${sharedHost}`)).toContain(first.hosts[i0]!.replace(/:\d+$/, ""));
  });
});
