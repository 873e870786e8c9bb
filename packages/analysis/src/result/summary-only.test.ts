import { describe, expect, it } from "vitest";
import { analyzeBytesToParts } from "../analyze.js";
import { traceBytes } from "../../test/corpus.js";

const S = "S6a_missing_ack_487_retransmit_direct";
const overviewOf = (ext: string) => analyzeBytesToParts(traceBytes(S, ext)).overview;

describe("summary formats (no full SIP messages)", () => {
  it.each([
    ["tshark.txt", "tshark one-line summary", "tshark -r capture.pcapng -Y sip -w sip-only.pcapng"],
    ["tshark-fields.tsv", "tshark -T fields", "tshark -r capture.pcapng -Y sip -V > sip.txt"],
    ["sngrep-flow.txt", "sngrep call-flow screen", "sngrep -N -q -I capture.pcap -O sip-only.pcap"],
  ])("%s is refused up front with the format's name and how to export full messages", (ext, name, command) => {
    const overview = overviewOf(ext);
    expect(overview.messageCount).toBe(0);
    expect(overview.summaryOnly?.formatName).toBe(name);
    expect(overview.summaryOnly?.reason).toMatch(/does not contain them/);
    expect(overview.summaryOnly?.exports.map((e) => e.command)).toContain(command);
    // the input problem names the same commands, for the API's problem list and old clients
    expect(overview.problems[0]?.message).toContain(command);
  });

  it("is absent for a format that carries the messages", () => {
    for (const ext of ["pcap", "tshark-V.txt", "sngrep.txt"]) expect(overviewOf(ext).summaryOnly, ext).toBeUndefined();
  });
});
