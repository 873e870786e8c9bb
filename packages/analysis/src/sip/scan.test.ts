// The fast path must read what it accepts exactly as the full parser does, and the full parser must
// find nothing wrong with it: checked on every SIP message of every corpus capture and fixture.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTraceReader } from "../ingest/index.js";
import { parseSipMessage } from "./parse.js";
import { scanSipMessage } from "./scan.js";
import type { ParsedSip } from "./types.js";
import { CORPUS_TRACES, EXTERNAL_CORPUS } from "../../test/corpus.js";

const FIXTURES = new URL("../../test/fixtures/", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(pcapng?|txt|log|sip)$/.test(name) ? [path] : [];
  });
}

function messagesOf(path: string): string[] {
  const out: string[] = [];
  const reader = createTraceReader({ message: (m) => out.push(m.text), problem: () => {} }, {});
  const bytes = new Uint8Array(readFileSync(path));
  for (let p = 0; p < bytes.length; p += 1 << 20) reader.push(bytes.subarray(p, p + (1 << 20)));
  reader.end();
  return out;
}

/** What the model reads of a parse. */
function modelFields(p: ParsedSip) {
  return {
    kind: p.kind,
    method: p.method,
    requestUri: p.requestUri,
    status: p.status,
    reasonPhrase: p.reasonPhrase,
    callId: p.callId,
    cseq: p.cseq,
    from: p.from && { uri: p.from.uri, tag: p.from.tag },
    to: p.to && { uri: p.to.uri, tag: p.to.tag },
    vias: p.vias.map((v) => ({ transport: v.transport, host: v.host, port: v.port, branch: v.branch, received: v.received, rport: v.rport })),
    contact: p.contact?.map((c) => c.uri),
    reason: p.reason,
    expires: p.expires,
    contentLength: p.contentLength,
    contentType: p.contentType,
    bodyLength: p.bodyLength,
    sdp: p.sdp,
  };
}

describe("fast path of the parser", () => {
  const sources = [...files(CORPUS_TRACES), ...files(FIXTURES), ...(EXTERNAL_CORPUS ? files(EXTERNAL_CORPUS) : [])].filter((f) => !f.includes("S8a_bulk"));
  it("reads what it accepts like the full parser, which finds no problem in it", () => {
    let accepted = 0;
    let total = 0;
    for (const file of sources) {
      let texts: string[];
      try {
        texts = messagesOf(file);
      } catch {
        continue; // not a trace at all (a README, a fuzzed file): nothing to compare
      }
      for (const text of texts) {
        total++;
        const fast = scanSipMessage(text);
        if (!fast) continue;
        accepted++;
        const full = parseSipMessage(text);
        expect(full.problems, `${file}: ${text.slice(0, 80)}`).toEqual([]);
        expect(modelFields(fast), `${file}: ${text.slice(0, 80)}`).toEqual(modelFields(full));
      }
    }
    expect(total).toBeGreaterThan(3000);
    // Real stacks send the strict form: most messages take the fast path.
    expect(accepted / total).toBeGreaterThan(0.6);
  });

  it("leaves anything unusual to the full parser", () => {
    const ok =
      "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
    expect(scanSipMessage(ok)?.callId).toBe("c1");
    const variants = [
      ok.replace("Max-Forwards: 70\r\n", ""),
      ok.replace("Content-Length: 0", "Content-Length: 5"),
      ok.replace("CSeq: 1 INVITE", "CSeq: 1 BYE"),
      ok.replace("To: <sip:bob@example.com>", "To: <sip:bob@example.com>\r\n x"),
      ok.replace("branch=z9hG4bK1", "branch"),
      ok.replace("Call-ID: c1", "Call-ID: c 1"),
      ok.replace("Call-ID: c1\r\n", "Call-ID: c1\r\nReason: SIP;cause=200\r\n"),
      ok.replace("INVITE sip", "INVITE  sip"),
    ];
    for (const v of variants) expect(scanSipMessage(v), v).toBeNull();
  });
});
