import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseSipBytes, parseSipMessage } from "./parse.js";
import { frameSipMessage } from "./framing.js";
import type { ParsedSip } from "./types.js";

const dir = fileURLToPath(new URL("../../test/fixtures/sip/rfc4475/", import.meta.url));
const load = (tag: string) => new Uint8Array(readFileSync(dir + tag + ".dat"));
const parse = (tag: string) => parseSipBytes(load(tag));
const errors = (m: ParsedSip) => m.problems.filter((p) => (p.severity ?? "error") === "error");

const VALID = ["wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq", "semiuri", "transports", "mpart01", "unreason", "noreason"];
// §3.2–3.4 messages are syntactically fine; their trouble lies in transaction or application semantics.
const SEMANTIC_ONLY = [
  "badbranch",
  "unkscm",
  "novelsc",
  "unksm2",
  "bext01",
  "invut",
  "regaut01",
  "bcast",
  "zeromf",
  "cparam01",
  "cparam02",
  "regescrt",
  "sdp01",
  "inv2543",
];

describe("RFC 4475 §3.1.1 valid messages", () => {
  it.each([...VALID, ...SEMANTIC_ONLY])("%s parses without errors", (tag) => {
    const m = parse(tag);
    expect(m.kind).not.toBe("invalid");
    expect(errors(m)).toEqual([]);
  });

  it("wsinv: folding, compact forms, LWS everywhere, escaped quotes", () => {
    const m = parse("wsinv");
    expect(m).toMatchObject({ kind: "request", method: "INVITE", callId: "wsinv.ndaksdj@192.0.2.1", maxForwards: 68, contentLength: 150, bodyLength: 150 });
    expect(m.requestUri).toBe("sip:vivekg@chair-dnrc.example.com;unknownparam");
    expect(m.cseq).toEqual({ seq: 9, method: "INVITE" });
    expect(m.to?.tag).toBe("1918181833n");
    expect(m.from).toMatchObject({ displayName: 'J Rosenberg \\"', tag: "98asjd8", user: "jdrosen", host: "example.com" });
    expect(m.vias.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ["UDP", "192.0.2.2", "390skdjuw"],
      ["TCP", "spindle.example.com", "z9hG4bK9ikj8"],
      ["UDP", "192.168.255.111", "z9hG4bK30239"],
    ]);
    expect(m.contact?.[0]).toMatchObject({ displayName: 'Quoted string ""', params: { newparam: "newvalue", secondparam: "", q: "0.33" } });
    expect(m.headers.find((h) => h.name === "Subject")?.value).toBe("");
    expect(m.headers.find((h) => h.name === "NewFangledHeader")?.value).toBe("newfangled value continued newfangled value");
    expect(m.sdp?.media.map((x) => [x.type, x.port, x.proto, x.formats])).toEqual([
      ["audio", 49217, "RTP/AVP", ["0", "12"]],
      ["video", 3227, "RTP/AVP", ["31"]],
    ]);
    expect(m.sdp?.connection).toBe("192.0.2.4");
  });

  it("intmeth: unusual token characters, NUL/BEL/DEL in a quoted name, UTF-8 values", () => {
    const m = parse("intmeth");
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(m.cseq).toEqual({ seq: 139122385, method: m.method });
    expect(m.callId).toBe("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
    expect(m.vias[0]?.branch).toBe("z9hG4bK-.!%66*_+`'~");
    expect(m.to?.displayName).toBe("BEL:\x07 NUL:\x00 DEL:\x7f");
    expect(m.from?.tag).toBe("_token~1'+`*%!-.");
    expect(m.from?.params["fromparam''~+*_!.-%"]).toBe("работающий");
  });

  it("esc01 / escnull / esc02: escapes are not decoded into structure, % methods stay distinct", () => {
    expect(parse("esc01").from?.user).toBe("I%20have%20spaces");
    expect(parse("escnull").contact?.map((c) => c.user)).toEqual(["%00", "%00%00"]);
    const e2 = parse("esc02");
    expect(e2.method).toBe("RE%47IST%45R");
    expect(e2.contact?.length).toBe(2); // C%6Fntact is an unknown header, not Contact
  });

  it("lwsdisp, semiuri, transports, longreq", () => {
    expect(parse("lwsdisp").from).toMatchObject({ displayName: "caller", user: "caller", tag: "323" });
    expect(parse("semiuri").requestUri).toBe("sip:user;par=u%40example.net@example.com");
    expect(parse("transports").vias.map((v) => v.transport)).toEqual(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"]);
    const l = parse("longreq");
    expect(l.vias).toHaveLength(34);
    expect(l.vias[33]?.received).toBe("192.0.2.5");
    expect(l.to?.displayName).toBe(`I have a user name of ${"extreme".repeat(10)} proportion`);
  });

  it("dblreq: the second request after Content-Length 0 is ignored, with a warning", () => {
    const m = parse("dblreq");
    expect(m.method).toBe("REGISTER");
    expect(m.body).toBe("");
    expect(m.problems.map((p) => p.message)).toEqual([expect.stringMatching(/Content-Length mismatch: 0 declared, but the body has 445 bytes/)]);
  });

  it("mpart01: binary body measured in bytes", () => {
    const m = parse("mpart01");
    expect(m).toMatchObject({ contentLength: 553, bodyLength: 553, contentType: "multipart/mixed" });
  });

  it("unreason / noreason: unusual and empty reason phrases", () => {
    expect(parse("unreason")).toMatchObject({ status: 200, reasonPhrase: "= 2**3 * 5**2 но сто девяносто девять - простое" });
    expect(parse("noreason")).toMatchObject({ status: 100, reasonPhrase: "" });
  });
});

const INVALID: Array<[string, RegExp, number | undefined]> = [
  ["badinv01", /Via.*empty parameter/, 7],
  ["clerr", /Content-Length mismatch: 9999 declared, but the body has only 154 bytes/, 10],
  ["ncl", /Content-Length "-999" is not a non-negative number/, 10],
  ["scalar02", /CSeq number 36893488147419103232 exceeds 2\^31-1/, 5],
  ["scalarlg", /CSeq number 9292394834772304023312 exceeds/, 5],
  ["quotbal", /To: unterminated quoted string/, 2],
  ["ltgtruri", /Request-URI must not be enclosed in <>/, 1],
  ["lwsruri", /Request-URI "sip:user@example.com; lr" contains whitespace/, 1],
  ["lwsstart", /separated by single spaces/, 1],
  ["trws", /Request-Line ends with whitespace/, 1],
  ["escruri", /Request-URI must not contain headers/, 1],
  ["baddate", /Date .* is not in GMT/, 8],
  ["regbadct", /Contact: a URI with headers \('\?'\) must be enclosed/, 8],
  ["badaspec", /To: whitespace inside <\.\.\.>/, 5],
  ["baddn", /From: display name "Bell, Alexander" contains ","/, 4],
  ["badvers", /SIP version SIP\/7\.0 is not supported/, 1],
  ["mismatch01", /CSeq method INVITE does not match request method OPTIONS/, 6],
  ["mismatch02", /CSeq method INVITE does not match request method NEWMETHOD/, 6],
  ["bigcode", /status code "4294967301" is not a 3-digit code/, 1],
  ["insuf", /missing mandatory header Call-ID/, undefined],
  ["multi01", /several Call-ID headers/, 8],
  ["mcl01", /several Content-Length headers disagree \(13 and 5\)/, 9],
];

describe("RFC 4475 §3.1.2 invalid messages", () => {
  it.each(INVALID)("%s yields a specific located problem", (tag, pattern, line) => {
    const m = parse(tag);
    const hit = errors(m).find((p) => pattern.test(p.message));
    expect(hit, JSON.stringify(m.problems)).toBeDefined();
    expect(hit?.line).toBe(line);
  });

  it("scalar02 also flags Max-Forwards 300 and the huge Expires", () => {
    const msgs = parse("scalar02")
      .problems.map((p) => p.message)
      .join("\n");
    expect(msgs).toMatch(/Max-Forwards "300"/);
    expect(msgs).toMatch(/Expires "1000/);
  });
});

describe("RFC 4475 messages through stream framing", () => {
  it("cuts a TCP stream of the valid messages back into the same messages, byte for byte", () => {
    const tags = VALID.filter((t) => t !== "dblreq");
    const parts = tags.map(load);
    const stream = new Uint8Array(parts.reduce((n, p) => n + p.length + 2, 0));
    let at = 0;
    for (const p of parts) {
      stream.set([0x0d, 0x0a], at); // a keep-alive CRLF before each message
      stream.set(p, at + 2);
      at += p.length + 2;
    }
    const found: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      const f = frameSipMessage(stream, offset);
      if (f.kind !== "message") break;
      found.push(stream.subarray(f.start, f.end));
      offset = f.end;
    }
    expect(found.map((f) => Buffer.from(f).toString("latin1"))).toEqual(parts.map((p) => Buffer.from(p).toString("latin1")));
  });

  it("dblreq on a stream is two messages; clerr waits for 9999 body bytes", () => {
    const dbl = load("dblreq");
    const first = frameSipMessage(dbl, 0);
    expect(first).toMatchObject({ kind: "message", contentLength: 0 });
    const second = frameSipMessage(dbl, first.kind === "message" ? first.end : 0);
    expect(second).toMatchObject({ kind: "message", contentLength: 150 });
    if (second.kind === "message") expect(second.end).toBe(second.bodyStart + 150);
    expect(frameSipMessage(load("clerr"), 0).kind).toBe("need-more");
    expect(frameSipMessage(load("clerr"), 0, undefined, { final: true })).toMatchObject({ kind: "message", contentLength: 9999 });
  });
});

describe("robustness", () => {
  const all = readdirSync(dir)
    .filter((f) => f.endsWith(".dat"))
    .map((f) => new TextDecoder().decode(readFileSync(dir + f)));

  it("never throws on any truncation of any torture message", () => {
    for (const text of all) {
      for (let cut = 0; cut <= text.length; cut++) {
        const m = parseSipMessage(text.slice(0, cut));
        expect(m.problems.every((p) => !p.message.startsWith("parser failure"))).toBe(true);
      }
    }
  });

  it("never throws on random bytes and random line soup", () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const alphabet = 'INVITE sip:@;=,<>"\\/ \t\r\n:SIP/2.0 Via:v:l:Content-Length:0123456789[]?%';
    for (let n = 0; n < 3000; n++) {
      const len = Math.floor(rnd() * 300);
      let s = "";
      for (let i = 0; i < len; i++) s += rnd() < 0.8 ? alphabet[Math.floor(rnd() * alphabet.length)] : String.fromCharCode(Math.floor(rnd() * 256));
      const m = parseSipMessage(s);
      expect(m.problems.every((p) => !p.message.startsWith("parser failure"))).toBe(true);
    }
  });

  it("caps the problem list of a pathological message", () => {
    const m = parseSipMessage(`INVITE sip:a@b SIP/2.0\r\nVia: ${",".repeat(100_000)}\r\n\r\n`);
    expect(m.problems.length).toBeLessThanOrEqual(51);
    expect(m.problems.at(-1)?.message).toMatch(/^\d+ more problems not listed$/);
  });

  it("parses huge header lines in linear time", () => {
    const big = "x".repeat(2_000_000);
    const text = `INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK${big}\r\nTo: "${big}\r\nFrom: <sip:${big}\r\nX: ${",".repeat(1_000_000)}\r\nContact: ${"<".repeat(1_000_000)}\r\n\r\n`;
    const t0 = performance.now();
    const m = parseSipMessage(text);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(m.problems.length).toBeGreaterThan(0);
  });
});
