import { describe, expect, it } from "vitest";
import { analyzeText } from "../analyze.js";

/** A caller hang-up, plain SIP text, with the INVITE's Via list given by `vias`. */
function hangup(vias: string[]): string {
  const via = vias.map((v) => `Via: ${v}\r\n`).join("");
  const head = "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: loop@example.com\r\n";
  const top = `Via: ${vias[0]}\r\n`;
  return [
    `INVITE sip:b@example.com SIP/2.0\r\n${via}${head}CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`,
    `SIP/2.0 180 Ringing\r\n${via}${head.replace("<sip:b@example.com>", "<sip:b@example.com>;tag=9")}CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`,
    `CANCEL sip:b@example.com SIP/2.0\r\n${top}${head}CSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n`,
    `SIP/2.0 200 OK\r\n${top}${head.replace("<sip:b@example.com>", "<sip:b@example.com>;tag=9")}CSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n`,
    `SIP/2.0 487 Request Terminated\r\n${via}${head.replace("<sip:b@example.com>", "<sip:b@example.com>;tag=9")}CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`,
  ].join("");
}

describe("a Via list that points back at the request's own branch (found by the fuzzer)", () => {
  // A looping or damaged element repeats its own Via: the INVITE looks like its own parent leg.
  // The diagnosis walked that cycle forever; it must end and still explain the 487.
  it("a repeated top Via: the diagnosis ends and explains the hang-up", () => {
    const own = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-loop-1";
    const result = analyzeText(hangup([own, own]));
    expect(result.problems.filter((p) => p.where === "diagnosis")).toEqual([]);
    expect(result.findings.map((f) => f.code)).toContain("caller-hangup");
  });
});
