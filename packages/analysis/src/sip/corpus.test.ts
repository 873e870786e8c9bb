// Real traffic: every SIP message of the corpus sngrep text exports, checked field by field against
// tshark's reading of the same capture (tshark-fields.tsv, one row per SIP message, same order).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSipMessage } from "./parse.js";
import { CORPUS_TRACES, tracePath } from "../../test/corpus.js";

const SNGREP_HEADER = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) \S+ -> \S+$/;

interface Captured {
  /** "seconds.micros" since the epoch, to find the same packet in tshark's rows. */
  time: string;
  text: string;
}

/** Cuts an sngrep "save as text" export (grouped by call, not in capture order) into messages. */
function sngrepMessages(text: string): Captured[] {
  const out: Captured[] = [];
  let current: { time: string; lines: string[] } | null = null;
  const flush = () => {
    // sngrep adds "\n\n" after each message; the message itself ends where its CRLF lines end.
    if (current) out.push({ time: current.time, text: current.lines.join("\n").replace(/\n+$/, "\n") });
  };
  for (const line of text.split("\n")) {
    const h = SNGREP_HEADER.exec(line);
    if (h) {
      flush();
      const [, y, mo, d, hh, mi, ss] = h.map(Number);
      current = { time: `${Date.UTC(y!, mo! - 1, d, hh, mi, ss) / 1000}.${h[7]}`, lines: [] };
    } else current?.lines.push(line);
  }
  flush();
  return out;
}

function tsvRows(path: string): Array<Record<string, string>> {
  const [head, ...rows] = readFileSync(path, "utf8").replace(/\n+$/, "").split("\n");
  const cols = head!.split("\t");
  return rows.map((r) => Object.fromEntries(r.split("\t").map((v, i) => [cols[i]!, v])));
}

const cases = readdirSync(CORPUS_TRACES)
  .map((id) => ({ id, sngrep: tracePath(id, "sngrep.txt"), tsv: tracePath(id, "tshark-fields.tsv") }))
  .filter((c) => existsSync(c.sngrep) && existsSync(c.tsv));

describe("corpus traces parsed like tshark reads them", () => {
  it("finds the corpus", () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it.each(cases)("$id", ({ sngrep, tsv }) => {
    const messages = sngrepMessages(readFileSync(sngrep, "utf8"));
    const rows = tsvRows(tsv);
    expect(messages.length).toBe(rows.length);
    const unused = new Set(rows);
    messages.forEach(({ time, text }, i) => {
      const m = parseSipMessage(text);
      const row = [...unused].find((r) => r["frame.time_epoch"]!.slice(0, time.length) === time && r["sip.Call-ID"] === m.callId);
      const where = `message ${i + 1} at ${time}`;
      expect(row, where).toBeDefined();
      if (!row) return;
      unused.delete(row);
      expect(
        m.problems.filter((p) => (p.severity ?? "error") === "error"),
        where,
      ).toEqual([]);
      if (row["sip.Method"]) {
        expect(m.method, where).toBe(row["sip.Method"]);
        expect(m.requestUri, where).toBe(row["sip.r-uri"]);
      } else expect(m.status, where).toBe(Number(row["sip.Status-Code"]));
      expect(`${m.cseq?.seq} ${m.cseq?.method}`, where).toBe(row["sip.CSeq"]);
      expect(m.callId, where).toBe(row["sip.Call-ID"]);
      expect(m.from?.tag ?? "", where).toBe(row["sip.from.tag"]);
      expect(m.to?.tag ?? "", where).toBe(row["sip.to.tag"]);
      expect(m.vias.map((v) => v.branch).join("|"), where).toBe(row["sip.Via.branch"]);
      const reason = m.reason.map((r) => `${r.protocol};cause=${r.cause};text="${r.text}"`).join(",");
      expect(reason, where).toBe(row["sip.Reason"]);
      expect(m.contentLength, where).toBe(m.bodyLength);
    });
  });
});
