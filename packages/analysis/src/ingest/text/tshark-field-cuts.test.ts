/**
 * What tshark -V leaves out of a message, on frames of field captures (../corpus-external), made with
 * TShark 4.0.17 into test/fixtures/text/tshark-V-field-cuts.txt by
 *   tshark -n -r sngrep/ipv6frag.pcap -Y 'frame.number == 5 || frame.number == 6' -O sip -V
 *   tshark -n -r sipnab/DTMFsipinfo.pcap -Y 'frame.number==17' -O sip -V
 *   tshark -n -r sipnab/b2bua-asterisk.pcapng -Y 'frame.number==9' -O sip -V
 *   tshark -n -r sipnab/c07-sip-r2.cap -Y 'frame.number == 8 || frame.number == 12' -O sip -V
 *   tshark -n -r aiengine/gprs_sip_flow.pcap -Y 'frame.number==9' -O sip -V
 * (concatenated in that order).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildTraceModel } from "../../analyze.js";
import { header, readText, startLine } from "./test-support.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/text");
const text = readFileSync(join(fixtures, "tshark-V-field-cuts.txt"), "utf8");
const lineOf = (needle: string, from = 0) => text.split("\n").findIndex((l, i) => i >= from && l.includes(needle)) + 1;

describe("tshark -V: lines tshark shortened, bodies it only decoded", () => {
  const r = readText(text);

  it("keeps a header line marked [truncated] as far as it goes, and names it in a note on the message", () => {
    const [invite, progress] = r.messages;
    expect(startLine(invite!.text)).toMatch(/^INVITE sip:08019200028@/);
    expect(startLine(progress!.text)).toBe("SIP/2.0 183 Session Progress");
    for (const m of [invite!, progress!]) {
      const via = header(m.text, "Via")!;
      // The top Via (the proxy's hop, which the transaction is keyed on) is whole; the second is cut.
      expect(via).toMatch(
        /^SIP\/2\.0\/UDP \[fd17:625c:f037:2:a00:27ff:feb9:3519\]:5062;branch=z9hG4bK-333138-f3b6705d5de367dfb415ff898550f9c2,SIP\/2\.0\/UDP /,
      );
      expect(via.endsWith(";received=fd17:625c:f037:2")).toBe(true);
      expect(m.notes).toEqual([
        'tshark cut the Via line at 240 characters ("[truncated]"): the value is incomplete here; read the capture for the whole value',
      ]);
    }
    expect(invite!.where).toBe(`line ${lineOf("Request-Line: INVITE")}`);
  });

  it("the model keeps those notes as the message's own problems, next to the parser's", () => {
    const m = buildTraceModel(new TextEncoder().encode(text));
    expect(m.messages[0]!.problems).toEqual([
      'tshark cut the Via line at 240 characters ("[truncated]"): the value is incomplete here; read the capture for the whole value',
    ]);
    expect(m.problems).toContainEqual({
      where: m.messages[0]!.where,
      severity: "warning",
      message:
        'message 0 (INVITE): tshark cut the Via line at 240 characters ("[truncated]"): the value is incomplete here; read the capture for the whole value',
      messageIndex: 0,
    });
  });

  it("reads the escaped body lines of a type tshark does not dissect (application/dtmf-relay)", () => {
    const info = r.messages.find((m) => m.text.startsWith("INFO "))!;
    expect(info.text.endsWith("\r\n\r\nSignal= 1\r\nDuration= 180\r\n")).toBe(true);
    expect(r.problems.filter((p) => p.where === info.where)).toEqual([]);
    expect(info.notes).toBeUndefined();
  });

  it("says that a body shown only as a decoded tree (PIDF XML) was left out", () => {
    const publish = r.messages.find((m) => m.text.startsWith("PUBLISH "))!;
    expect(publish.notes).toEqual([
      "tshark -V shows the body only as a decoded tree (eXtensible Markup Language), not as text; the body was left out of this message",
    ]);
  });

  it('says that the body is missing because tshark judged "Content-Length: 255 " (trailing space) invalid', () => {
    const invite = r.messages.find((m) => m.text.startsWith("INVITE sip:ng40user11@"))!;
    expect(invite.text).toMatch(/\r\nContent-Length: 255 \r\n\r\n$/);
    expect(invite.notes).toEqual(["tshark found the Content-Length invalid and did not show the body; the body is not in this text (read the capture)"]);
  });

  it("says why a message is left out when its start line is cut or not a SIP start line", () => {
    expect(r.messages).toHaveLength(5);
    const long = lineOf("Request-Line: aaaa");
    const cut = lineOf("Request-Line [truncated]");
    expect(r.problems).toContainEqual({
      where: `line ${long}`,
      severity: "warning",
      message: `the Request-Line "${"a".repeat(60)}…" is not a SIP start line (method of at most 32 token characters, Request-URI, SIP/2.0); this SIP message was left out`,
    });
    expect(r.problems).toContainEqual({
      where: `line ${cut}`,
      severity: "warning",
      message: 'tshark cut the Request-Line at 240 characters ("[truncated]"); this SIP message was left out',
    });
  });
});
