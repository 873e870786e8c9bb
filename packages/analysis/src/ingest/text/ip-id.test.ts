/**
 * The IPv4 ID in text forms that print it, so that the capture-duplicate filter can tell a resend
 * from a copy as it does for captures. Fixtures (test/fixtures/text), from field captures:
 *   editcap -r sipnab/b2bua-asterisk.pcapng b2.pcapng 26-27   (a phone's 100 Trying twice, 0.3 ms apart, IDs 2599/2600)
 *   editcap -r ndpi/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap fx.pcap 24 26   (one INVITE seen twice on a SPAN port, ID 16286 both times)
 *   tcpdump -nn -v -A -r b2.pcapng; tcpdump -nn -v -A -r fx.pcap          → tcpdump-vA-ip-id.txt
 *   tshark -n -r … -Y 'frame.number==26||frame.number==27' -V; … 24, 26     → tshark-V-ip-id.txt
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildTraceModel } from "../../analyze.js";
import { readText, startLine } from "./test-support.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/text");
const fixture = (name: string) => readFileSync(join(fixtures, name));

describe.each([["tcpdump-vA-ip-id.txt"], ["tshark-V-ip-id.txt"]])("%s", (name) => {
  it("each datagram carries its IPv4 ID", () => {
    const r = readText(fixture(name));
    expect(r.messages.map((m) => [startLine(m.text).slice(0, 18), m.ipId])).toEqual([
      ["SIP/2.0 100 Trying", 2599],
      ["SIP/2.0 100 Trying", 2600],
      ["INVITE sip:0619631", 16286],
      ["INVITE sip:0619631", 16286],
    ]);
  });

  it("the resent 100 Trying is kept, the INVITE's capture copy dropped", () => {
    const m = buildTraceModel(new Uint8Array(fixture(name)));
    expect(m.messages.map((x) => x.status ?? x.method)).toEqual([100, 100, "INVITE"]);
    expect(m.duplicatesDropped).toBe(1);
  });
});
