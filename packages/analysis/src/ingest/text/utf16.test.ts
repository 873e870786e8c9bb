import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Problem } from "@siplens/contracts";
import type { RawSipMessage } from "../types.js";
import { createTraceReader } from "../index.js";
import { tracePath } from "../../../test/corpus.js";

function run(bytes: Uint8Array, chunk: number) {
  const messages: RawSipMessage[] = [];
  const problems: Problem[] = [];
  const reader = createTraceReader({ message: (m) => messages.push(m), problem: (p) => problems.push(p) });
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return { messages, problems, detected: reader.detected(), notATrace: reader.notATrace() };
}

const utf16le = (text: string, bom: boolean) =>
  new Uint8Array(Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, "utf16le")]));
const utf16be = (text: string) => {
  const le = Buffer.from(text, "utf16le");
  return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]));
};

describe("UTF-16 text (PowerShell's > and Notepad's \"Unicode\")", () => {
  for (const name of ["sngrep.txt", "ngrep.txt"]) {
    const utf8 = readFileSync(tracePath("S1a_caller_hangup_direct_udp", name));
    const plain = run(new Uint8Array(utf8), 4096);
    const text = utf8.toString("utf8");

    it(`reads a ${name} saved as UTF-16 (LE with and without a byte-order mark, BE) like the UTF-8 file`, () => {
      expect(plain.messages.length).toBeGreaterThan(0);
      // Odd chunk sizes split code units between pushes.
      for (const [bytes, encoding] of [
        [utf16le(text, true), "UTF-16LE"],
        [utf16le(text, false), "UTF-16LE"],
        [utf16be(text), "UTF-16BE"],
      ] as const) {
        const decoded = run(bytes, 333);
        expect(decoded.detected).toEqual({ format: plain.detected!.format, name: `${plain.detected!.name}, ${encoding}` });
        expect(decoded.messages.map((m) => m.text)).toEqual(plain.messages.map((m) => m.text));
        expect(decoded.messages.map((m) => [m.time, m.src, m.dst])).toEqual(plain.messages.map((m) => [m.time, m.src, m.dst]));
        expect(decoded.problems).toEqual(plain.problems);
      }
    });
  }

  it("names UTF-16 when the decoded text is not a trace", () => {
    const result = run(utf16le("Dear diary, nothing about SIP here.\r\n".repeat(20), true), 100);
    expect(result.notATrace).not.toBeNull();
    expect(result.problems[0]?.message).toMatch(/^not a recognisable trace \(UTF-16LE text, decoded, but not a trace\)/);
  });
});
