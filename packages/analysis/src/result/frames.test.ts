import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeBytesToParts } from "../analyze.js";
import { tracePath, traceText } from "../../test/corpus.js";
import { FIXTURES } from "../../test/fixtures/capture/support.js";
import { ladderRowsOf } from "./message-summary.js";

/**
 * A message is named by its capture frame number, as Wireshark numbers packets, so a ticket can point
 * at the same packet in both. The truth is tshark's: the corpus keeps its `-T fields` output beside
 * each capture, and the reassembly fixtures are read by the installed tshark when there is one.
 */

interface TsharkSip {
  frame: number;
  callId: string;
  cseq: string;
}

/** One entry per SIP message: tshark prints a packet carrying several (coalesced TCP) once, comma-joined. */
function sipOfTsharkFields(tsv: string, columns: { frame: number; callId: number; cseq: number }): TsharkSip[] {
  const out: TsharkSip[] = [];
  for (const line of tsv.split("\n")) {
    const cells = line.split("\t");
    const frame = Number(cells[columns.frame]);
    if (!Number.isInteger(frame) || frame < 1) continue;
    const callIds = (cells[columns.callId] ?? "").split(",");
    (cells[columns.cseq] ?? "").split(",").forEach((cseq, k) => out.push({ frame, callId: callIds[k] ?? callIds[0] ?? "", cseq }));
  }
  return out;
}

const partsOf = (path: string) => analyzeBytesToParts(new Uint8Array(readFileSync(path)));

function summariesOf(parts: ReturnType<typeof partsOf>) {
  return [...parts.messageBlocks({ raw: false })].flatMap((b) => b.messages);
}

describe("capture frame numbers (against tshark's)", () => {
  for (const scenario of ["S5c_cancel_200_race_via_kamailio", "S9b_caller_hangup_via_kamailio_tcp", "S9d_caller_hangup_via_kamailio_ipv6_tcp"]) {
    it(`names every message of ${scenario} by the frame tshark shows it in`, () => {
      const tsv = traceText(scenario, "tshark-fields.tsv");
      const header = tsv.split("\n", 1)[0]!.split("\t");
      const expected = sipOfTsharkFields(tsv, {
        frame: header.indexOf("frame.number"),
        callId: header.indexOf("sip.Call-ID"),
        cseq: header.indexOf("sip.CSeq"),
      });
      for (const ext of ["pcap", "pcapng"]) {
        const parts = partsOf(tracePath(scenario, ext));
        const summaries = summariesOf(parts);
        expect(summaries.map((m) => ({ frame: m.where, callId: m.callId, cseq: `${m.cseq.seq} ${m.cseq.method}` }))).toEqual(
          expected.map((e) => ({ frame: `frame ${e.frame}`, callId: e.callId, cseq: e.cseq })),
        );
        // the ladder rows (the whole-trace window and every call ladder) carry the same
        expect(ladderRowsOf(summaries).map((r) => r.where)).toEqual(summaries.map((m) => m.where));
        // and every finding names its evidence by frame, read without the messages it points at
        expect(parts.findings.length).toBeGreaterThan(0);
        for (const finding of parts.findings) expect(finding.evidenceWhere).toEqual(finding.evidence.map((i) => summaries[i]?.where));
      }
    });
  }

  it("gives a message internal index and frame number apart once the capture holds more than SIP", () => {
    const parts = partsOf(tracePath("S9b_caller_hangup_via_kamailio_tcp"));
    const [first] = summariesOf(parts);
    // TCP handshakes come first: the first SIP message is not frame 1
    expect(first?.index).toBe(0);
    expect(first?.where).not.toBe("frame 1");
  });

  const tshark = (() => {
    try {
      execFileSync("tshark", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  for (const fixture of ["tcp-segments.pcap", "frag-udp4.pcap", "frag-udp6.pcapng", "tcp-coalesced.pcap"]) {
    it.skipIf(!tshark)(`takes the frame that completed a reassembled message (${fixture}), as tshark does`, () => {
      const path = join(FIXTURES, fixture);
      const fields = execFileSync("tshark", ["-r", path, "-Y", "sip", "-T", "fields", "-e", "frame.number", "-e", "sip.Call-ID", "-e", "sip.CSeq"], {
        encoding: "utf8",
      });
      const expected = sipOfTsharkFields(fields, { frame: 0, callId: 1, cseq: 2 });
      expect(summariesOf(partsOf(path)).map((m) => `${m.where} ${m.callId} ${m.cseq.seq} ${m.cseq.method}`)).toEqual(
        expected.map((e) => `frame ${e.frame} ${e.callId} ${e.cseq}`),
      );
    });
  }

  it("names a message of a text trace by the line it starts on", () => {
    const path = tracePath("S5c_cancel_200_race_via_kamailio", "sngrep.txt");
    const lines = readFileSync(path, "utf8").split("\n");
    const summaries = summariesOf(partsOf(path));
    expect(summaries.length).toBeGreaterThan(10);
    for (const m of summaries) {
      const line = Number(/^line (\d+)$/.exec(m.where)?.[1]);
      const startLine = m.kind === "request" ? `${m.method} ` : `SIP/2.0 ${m.status}`;
      expect(lines[line - 1]?.startsWith(startLine)).toBe(true);
    }
  });
});
