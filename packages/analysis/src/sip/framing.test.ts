import { describe, expect, it } from "vitest";
import { findNextSipStart, frameSipMessage, frameSipText, looksLikeSipStart, looksLikeSipStartText, readContentLength } from "./framing.js";

const enc = (s: string) => new TextEncoder().encode(s);

const INVITE = "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nl :  5\r\n\r\nhello";
const OK = "SIP/2.0 200 OK\nContent-Length: 0\n\n";

describe("frameSipMessage", () => {
  it("frames back-to-back messages, skipping keep-alive CRLFs, with the compact l header", () => {
    const buf = enc("\r\n\r\n" + INVITE + "\r\n" + OK);
    const a = frameSipMessage(buf, 0);
    expect(a.kind).toBe("message");
    if (a.kind !== "message") return;
    expect(a.start).toBe(4);
    expect(a.contentLength).toBe(5);
    expect(new TextDecoder().decode(buf.subarray(a.bodyStart, a.end))).toBe("hello");
    const b = frameSipMessage(buf, a.end);
    expect(b.kind).toBe("message");
    if (b.kind !== "message") return;
    expect(new TextDecoder().decode(buf.subarray(b.start, b.end))).toBe(OK);
    expect(frameSipMessage(buf, b.end).kind).toBe("empty");
  });

  it("asks for more bytes at every truncation point of a stream message", () => {
    const buf = enc(INVITE);
    for (let cut = 1; cut < buf.length; cut++) {
      expect(frameSipMessage(buf, 0, cut).kind).toBe("need-more");
    }
    expect(frameSipMessage(buf, 0, buf.length).kind).toBe("message");
  });

  it("returns the short body as is for a final datagram", () => {
    const buf = enc("SIP/2.0 200 OK\r\nContent-Length: 100\r\n\r\nabc");
    const r = frameSipMessage(buf, 0, buf.length, { final: true });
    expect(r).toMatchObject({ kind: "message", contentLength: 100, end: buf.length });
  });

  it("gives up on endless headers instead of buffering forever", () => {
    const buf = enc("INVITE sip:a@b SIP/2.0\r\n" + "X: y\r\n".repeat(200));
    expect(frameSipMessage(buf, 0, buf.length, { maxHeaderBytes: 256 }).kind).toBe("invalid");
  });

  it("reads Content-Length in any case and with odd whitespace, and flags non-numbers", () => {
    const h = enc("A: b\r\ncOnTeNt-LeNgTh\t:\t 42 \r\n");
    expect(readContentLength(h, 0, h.length)).toEqual({ value: 42 });
    const bad = enc("Content-Length: abc\r\n");
    expect(readContentLength(bad, 0, bad.length).invalid).toMatch(/not a number/);
    const none = enc("Content-Type: application/sdp\r\nLocation: x\r\n");
    expect(readContentLength(none, 0, none.length)).toEqual({ value: null });
  });
});

describe("frameSipText", () => {
  it("counts Content-Length in UTF-8 bytes", () => {
    const body = "é€😀";
    const text = `MESSAGE sip:a@b SIP/2.0\nContent-Length: ${new TextEncoder().encode(body).length}\n\n${body}NEXT`;
    const r = frameSipText(text);
    expect(r.kind).toBe("message");
    if (r.kind === "message") expect(text.slice(r.bodyStart, r.end)).toBe(body);
  });
});

describe("looksLikeSipStart", () => {
  it("accepts request and status lines", () => {
    expect(looksLikeSipStart(enc("INVITE sip:bob@x SIP/2.0\r\n"))).toBe(true);
    expect(looksLikeSipStart(enc("SIP/2.0 487 Request Terminated\r\n"))).toBe(true);
    expect(looksLikeSipStart(enc("OPTIONS tel:+123 SIP/2.0\n"))).toBe(true);
    expect(looksLikeSipStartText("REGISTER sips:x.com SIP/2.0\r\n")).toBe(true);
  });
  it("rejects RTP, HTTP and text", () => {
    expect(looksLikeSipStart(new Uint8Array([0x80, 0x00, 0x12, 0x34, 0x53, 0x49, 0x50]))).toBe(false);
    expect(looksLikeSipStart(enc("GET / HTTP/1.1\r\n"))).toBe(false);
    expect(looksLikeSipStart(enc("Hello world\n"))).toBe(false);
    expect(looksLikeSipStart(enc("INVITE sip:bob@x SIP/2.0"))).toBe(false); // no line end yet
  });
  it("finds the next start line after garbage", () => {
    const buf = enc("garbage\r\nmore junk\r\nBYE sip:a@b SIP/2.0\r\n");
    expect(findNextSipStart(buf)).toBe(20);
  });
});

describe("framing robustness", () => {
  it("always makes progress or asks for more on random bytes, never throws", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const pieces = ["INVITE sip:a@b SIP/2.0\r\n", "SIP/2.0 200 OK\r\n", "l: 5\r\n", "Content-Length: 12\r\n", "\r\n", "\n", "xyz", "\x80\x00"];
    for (let n = 0; n < 2000; n++) {
      let s = "";
      const k = Math.floor(rnd() * 12);
      for (let i = 0; i < k; i++) s += pieces[Math.floor(rnd() * pieces.length)];
      const buf = enc(s);
      let offset = 0;
      for (let guard = 0; guard < 100 && offset < buf.length; guard++) {
        const r = frameSipMessage(buf, offset, buf.length, { final: rnd() < 0.5 });
        looksLikeSipStart(buf, offset);
        if (r.kind !== "message") break;
        expect(r.end).toBeGreaterThan(offset);
        offset = r.end;
      }
      expect(frameSipText(s).kind).toMatch(/message|need-more|empty|invalid/);
    }
  });
});
