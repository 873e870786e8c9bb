import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AnalysisResult } from "@siplens/contracts";
import { describe, expect, it } from "vitest";
import { tracePath } from "../../test/corpus.js";

const PACKAGE = fileURLToPath(new URL("../../", import.meta.url));
const S1B = tracePath("S1b_caller_hangup_via_kamailio_udp");

function cli(args: string[], input?: Uint8Array) {
  return spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", "src/cli/main.ts", ...args], {
    cwd: PACKAGE,
    encoding: "utf8",
    input,
    timeout: 60_000,
  });
}

describe("siplens CLI", () => {
  it("prints one JSON document with the stable core for --json", () => {
    const r = cli(["analyze", S1B, "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as AnalysisResult;
    expect(out.format).toBe("pcap");
    expect(out.messageCount).toBe(14);
    expect(out.calls).toHaveLength(1);
    expect(out.calls[0]).toMatchObject({ callId: "1-17702@127.0.12.10", messageCount: 14, outcome: "cancelled" });
    expect(Array.isArray(out.calls[0]?.findings)).toBe(true);
    expect(Array.isArray(out.findings)).toBe(true);
    expect(Array.isArray(out.problems)).toBe(true);
  });

  it("leaves raw text out of --json unless --raw asks for it, and then gives every message its text", () => {
    const plain = JSON.parse(cli(["analyze", S1B, "--json"]).stdout) as AnalysisResult;
    expect(plain.messages).toHaveLength(14);
    expect(plain.messages.every((m: { raw?: string }) => m.raw === undefined)).toBe(true);
    const withRaw = JSON.parse(cli(["analyze", S1B, "--json", "--raw"]).stdout) as AnalysisResult;
    expect(withRaw.messages.map((m: { label: string }) => m.label)).toEqual(plain.messages.map((m: { label: string }) => m.label));
    for (const m of withRaw.messages as { raw: string; callId: string }[])
      expect(m.raw).toMatch(new RegExp(`^Call-ID: ${m.callId.replace(/[.]/g, "\\.")}\\r?$`, "m"));
  });

  it("prints one JSON line per call for --ndjson", () => {
    const bulk = tracePath("S2_fork_one_answers_others_cancelled");
    const doc = JSON.parse(cli(["analyze", bulk, "--json"]).stdout) as AnalysisResult;
    const r = cli(["analyze", bulk, "--ndjson"]);
    expect(r.status).toBe(0);
    type Line = { callId: string; outcome: string; findings: { id: string }[]; traceFindingIds: string[] };
    const lines = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => l.callId)).toEqual(doc.calls.map((c: { callId: string }) => c.callId));
    expect(lines.map((l) => l.outcome)).toEqual(doc.calls.map((c: { outcome: string }) => c.outcome));
    // a call's own findings are on its line; trace-wide ones are named by id, not copied
    const byCall = (l: Line) => doc.findings.filter((f: { callIds: string[] }) => f.callIds.includes(l.callId));
    for (const l of lines) {
      const named = byCall(l) as { id: string; callIds: string[] }[];
      expect(l.findings.map((f) => f.id)).toEqual(named.filter((f) => f.callIds.length === 1).map((f) => f.id));
      expect(l.traceFindingIds).toEqual(named.filter((f) => f.callIds.length !== 1).map((f) => f.id));
    }
    expect(lines.some((l: Line) => l.findings.length > 0)).toBe(true);
    expect(cli(["analyze", bulk, "--json", "--ndjson"]).status).toBe(2);
  });

  it("prints a readable summary by default and reads stdin for -", () => {
    const r = cli(["analyze", "-"], readFileSync(S1B));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Call 1-17702@127.0.12.10 — 14 messages, cancelled (487)");
    expect(r.stdout).toMatch(/Format: pcap/);
    // evidence named by capture frame, as Wireshark shows it
    expect(r.stdout).toMatch(/evidence: frame \d+, frame \d+/);
  });

  it("says which calls are legs of one correlated call, in the summary and in --json (no raw text kept)", () => {
    const sbc = `${PACKAGE}test/fixtures/correlation/xcid-caller-cancel.pcap`;
    const summary = cli(["analyze", sbc]).stdout;
    expect(summary).toMatch(/leg 2 of 2 of correlated call g1 \(x-cid, confidence 0\.95\): X-CID names Call-ID 1-\d+@127\.0\.34\.10/);
    const doc = JSON.parse(cli(["analyze", sbc, "--json"]).stdout) as AnalysisResult;
    expect(doc.calls.map((c: { group?: { id: string; leg: number } }) => [c.group?.id, c.group?.leg])).toEqual([
      ["g1", 1],
      ["g1", 2],
    ]);
  });

  it("exits 2 on usage errors and unreadable files, 3 when the input is not a trace or only a summary of one", () => {
    expect(cli(["analyse", S1B]).status).toBe(2);
    expect(cli(["analyze"]).status).toBe(2);
    expect(cli(["analyze", "/nonexistent/file.pcap"]).status).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), "siplens-cli-"));
    const junk = join(dir, "notes.txt");
    writeFileSync(junk, "shopping list\n- milk\n- bread\n".repeat(20));
    const r = cli(["analyze", junk, "--json"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/not a SIP trace; tried: .*pcap/);
    expect(r.stdout).toBe("");
    const summary = cli(["analyze", tracePath("S6a_missing_ack_487_retransmit_direct", "tshark.txt")]);
    expect(summary.status).toBe(3);
    expect(summary.stderr).toMatch(/tshark one-line summary: it names SIP messages but does not contain them/);
    expect(summary.stderr).toContain("tshark -r capture.pcapng -Y sip -w sip-only.pcapng");
    expect(summary.stdout).toBe("");
    const help = cli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("siplens analyze <file|->");
  });
});
