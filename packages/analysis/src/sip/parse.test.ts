import { describe, expect, it } from "vitest";
import { parseSipMessage } from "./parse.js";
import { canonicalHeaderName } from "./header-names.js";

const crlf = (lines: string[]) => lines.join("\r\n");
const errorsOf = (text: string) =>
  parseSipMessage(text)
    .problems.filter((p) => (p.severity ?? "error") === "error")
    .map((p) => p.message);

const CANCEL_487 = crlf([
  "SIP/2.0 487 Request Terminated",
  "v: SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bKabc;rport=5070;received=2001:db8::99, SIP/2.0/TCP proxy.example.com;branch=z9hG4bKdef;rport",
  "f: Alice <sip:alice@example.com>;tag=a1",
  't: "Bob, the builder" <sip:bob@example.com;transport=tcp>;tag=b2',
  "i: abc@host",
  "CSeq: 7 INVITE",
  'Reason: SIP;cause=487;text="Request, terminated", Q.850 ;cause=16 ;text="Normal call clearing"',
  "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>",
  "l: 0",
  "",
  "",
]);

describe("parseSipMessage", () => {
  it("reads compact headers, IPv6 sent-by, rport with and without value, quoted commas, multi-value Reason", () => {
    const m = parseSipMessage(CANCEL_487);
    expect(m.problems).toEqual([]);
    expect(m).toMatchObject({ kind: "response", status: 487, reasonPhrase: "Request Terminated", callId: "abc@host", cseq: { seq: 7, method: "INVITE" } });
    expect(m.vias[0]).toMatchObject({ transport: "UDP", host: "[2001:db8::1]", port: 5070, branch: "z9hG4bKabc", rport: "5070", received: "2001:db8::99" });
    expect(m.vias[1]).toMatchObject({ transport: "TCP", host: "proxy.example.com", port: null, branch: "z9hG4bKdef", rport: true });
    expect(m.to).toMatchObject({ displayName: "Bob, the builder", user: "bob", host: "example.com", tag: "b2" });
    expect(m.from).toMatchObject({ displayName: "Alice", tag: "a1" });
    expect(m.reason).toEqual([
      { protocol: "SIP", cause: 487, text: "Request, terminated" },
      { protocol: "Q.850", cause: 16, text: "Normal call clearing" },
    ]);
    expect(m.recordRoute?.map((r) => r.host)).toEqual(["p1.example.com", "p2.example.com"]);
    expect(parseSipMessage(crlf(["INVITE sips:+4930123@Gw.Example.com:5061;user=phone SIP/2.0", "", ""])).requestUriParts).toEqual({
      scheme: "sips",
      user: "+4930123",
      host: "gw.example.com",
      port: 5061,
    });
    expect(parseSipMessage(crlf(["BYE sip:x@y SIP/2.0", "Contact: <tel:+123>, <sip:a@[::1]:5070;transport=tcp>", "", ""])).contact).toMatchObject([
      { scheme: "tel", user: "+123" },
      { scheme: "sip", user: "a", host: "[::1]", port: 5070, params: {} },
    ]);
    expect(m.headers.map((h) => h.name)).toEqual(["Via", "From", "To", "Call-ID", "CSeq", "Reason", "Record-Route", "Content-Length"]);
  });

  it("accepts bare LF line ends and folded lines with tabs; a CRLF-counted Content-Length still fits", () => {
    const body =
      "v=0\no=- 1 2 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0 8\na=sendonly\nm=video 0 RTP/AVP 31\nc=IN IP4 10.0.0.2\na=inactive\n";
    const crlfBytes = new TextEncoder().encode(body.replace(/\n/g, "\r\n")).length;
    const text = `INVITE sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1\n\t;branch=z9hG4bK1\nFrom: <sip:a@x>;tag=1\nTo: <sip:bob@example.com>\nCall-ID: lf@x\nCSeq: 1 INVITE\nMax-Forwards: 70\nContent-Type: Application/SDP; charset=utf-8\nContent-Length: ${crlfBytes}\n\n${body}`;
    const m = parseSipMessage(text);
    expect(m.problems).toEqual([]);
    expect(m.vias[0]?.branch).toBe("z9hG4bK1");
    expect(m.contentType).toBe("application/sdp");
    expect(m.sdp).toEqual({
      origin: "- 1 2 IN IP4 10.0.0.1",
      connection: "10.0.0.1",
      media: [
        { type: "audio", port: 4000, proto: "RTP/AVP", formats: ["0", "8"], direction: "sendonly" },
        { type: "video", port: 0, proto: "RTP/AVP", formats: ["31"], connection: "10.0.0.2", direction: "inactive" },
      ],
    });
  });

  it("summarises the SDP part of a multipart body (SIP-I)", () => {
    const body = crlf([
      "--unique-boundary-1",
      "Content-Type: application/sdp",
      "",
      "v=0",
      "o=- 7 7 IN IP4 192.0.2.7",
      "c=IN IP4 192.0.2.7",
      "m=audio 30000 RTP/AVP 8",
      "--unique-boundary-1",
      "Content-Type: application/ISUP; version=itu-t92+",
      "",
      "binary-isup",
      "--unique-boundary-1--",
      "",
    ]);
    const m = parseSipMessage(
      crlf([
        "INVITE sip:b@x SIP/2.0",
        "Via: SIP/2.0/UDP h;branch=z9hG4bK9",
        "From: <sip:a@x>;tag=1",
        "To: <sip:b@x>",
        "Call-ID: sipi",
        "CSeq: 1 INVITE",
        "Max-Forwards: 70",
        'Content-Type: multipart/mixed; boundary="unique-boundary-1"',
        `Content-Length: ${body.length}`,
        "",
        body,
      ]),
    );
    expect(m.problems).toEqual([]);
    expect(m.sdp).toEqual({
      origin: "- 7 7 IN IP4 192.0.2.7",
      connection: "192.0.2.7",
      media: [{ type: "audio", port: 30000, proto: "RTP/AVP", formats: ["8"] }],
    });
  });

  it("measures Content-Length in UTF-8 bytes", () => {
    const body = "héllo wörld\r\n";
    const bytes = new TextEncoder().encode(body).length;
    const base = [
      "MESSAGE sip:b@x SIP/2.0",
      "Via: SIP/2.0/UDP h;branch=z9hG4bK2",
      "From: <sip:a@x>;tag=1",
      "To: <sip:b@x>",
      "Call-ID: u8",
      "CSeq: 2 MESSAGE",
      "Max-Forwards: 70",
      "Content-Type: text/plain",
    ];
    expect(errorsOf(crlf([...base, `Content-Length: ${bytes}`, "", body]))).toEqual([]);
    expect(parseSipMessage(crlf([...base, `Content-Length: ${bytes}`, "", body])).bodyLength).toBe(bytes);
    expect(errorsOf(crlf([...base, `Content-Length: ${body.length + 5}`, "", body]))).toEqual([
      `Content-Length mismatch: ${body.length + 5} declared, but the body has only ${bytes} bytes`,
    ]);
  });

  it("reports every missing mandatory header and keeps going", () => {
    const m = parseSipMessage("BYE sip:x@y SIP/2.0\r\nMax-Forwards: 70\r\n\r\n");
    expect(m.kind).toBe("request");
    expect(m.problems.map((p) => p.message)).toEqual(["Via", "Call-ID", "CSeq", "From", "To"].map((h) => `missing mandatory header ${h}`));
  });

  it("locates junk lines and bad header names", () => {
    const m = parseSipMessage(
      crlf([
        "OPTIONS sip:x@y SIP/2.0",
        "Via: SIP/2.0/UDP h;branch=z9hG4bK3",
        "this line has no colon",
        "Bad Name: x",
        "From: <sip:a@x>;tag=1",
        "To: <sip:x@y>",
        "Call-ID: j",
        "CSeq: 1 OPTIONS",
        "Max-Forwards: 70",
        "",
        "",
      ]),
    );
    expect(m.problems).toEqual([
      { line: 3, message: "\"this line has no colon\" is not a header line (no ':')" },
      { line: 4, message: 'header name "Bad Name" is not a token' },
    ]);
  });

  it("never throws and says what the first line is when it is not SIP", () => {
    expect(parseSipMessage("")).toMatchObject({ kind: "invalid", problems: [{ message: "empty message" }] });
    expect(parseSipMessage("GET / HTTP/1.1\r\nHost: x\r\n\r\n").problems[0]).toEqual({
      line: 1,
      message: '"GET / HTTP/1.1" is not a SIP request line or status line',
    });
    expect(parseSipMessage("SIP/2.0 abc Bogus\r\n\r\n").problems[0]?.message).toMatch(/status code "abc"/);
    const sloppy = parseSipMessage("  SIP/2.0  180 Ringing\r\n\r\n");
    expect(sloppy).toMatchObject({ kind: "response", status: 180, reasonPhrase: "Ringing" });
    expect(sloppy.problems.slice(0, 2)).toEqual([
      { line: 1, message: "start line begins with whitespace" },
      { line: 1, message: "Status-Line elements must be separated by single spaces" },
    ]);
  });

  it("maps compact names and folds case", () => {
    expect(["i", "m", "e", "l", "c", "f", "t", "v", "s", "k", "o", "u", "r", "b", "a", "y", "x"].map(canonicalHeaderName)).toEqual([
      "Call-ID",
      "Contact",
      "Content-Encoding",
      "Content-Length",
      "Content-Type",
      "From",
      "To",
      "Via",
      "Subject",
      "Supported",
      "Event",
      "Allow-Events",
      "Refer-To",
      "Referred-By",
      "Accept-Contact",
      "Identity",
      "Session-Expires",
    ]);
    expect(["CALL-ID", "call-id", "Call-Id", "cseq", "V", "X-Custom"].map(canonicalHeaderName)).toEqual([
      "Call-ID",
      "Call-ID",
      "Call-ID",
      "CSeq",
      "Via",
      "X-Custom",
    ]);
  });
});
