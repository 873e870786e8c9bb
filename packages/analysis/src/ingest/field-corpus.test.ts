/**
 * Every file of the field corpus (../corpus-external, provenance in its README) through the whole
 * pipeline, as `siplens analyze FILE --json` runs it: each must be read in full, or its problems must
 * say what was left out and why. Nothing may disappear silently.
 *
 * test/fixtures/field-corpus-expected.json, per file: `holds`, the SIP messages in the file. For a capture, tshark's count, from TShark 4.0.17:
 *   tshark -n -r FILE -Y sip -T fields -e frame.number | wc -l
 * For a derived text form, that count for the capture it was made from (README "Derived text
 * forms"), except ipip.ngrep.txt: ngrep itself prints only 2 of ipip.pcap's 4 messages. For the two
 * text logs, the README's count. `messages` and `duplicates`: what siplens reads (checked against
 * the packets when the counts were recorded; see the other tests for content).
 *
 * What the pipeline accounts for: messages kept + capture duplicates dropped (same packet, same IP
 * ID) + messages reported one by one as left out. When that is less than `holds`, a problem matching
 * `explains` must say where the rest went (a summary format, ICMP quotes, unreadable requests).
 * More than `holds` is fine (tshark's heuristics miss some damaged SIP in the fuzzed capture).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeBytes } from "../analyze.js";
import { EXTERNAL_CORPUS } from "../../test/corpus.js";

interface Expected {
  holds: number;
  messages: number;
  duplicates?: number;
  explains?: string;
}

/** A one-line summary names messages without carrying them: the reader must say so. */
const SUMMARY = /^this is a tshark (?:one-line summary|-T fields), a summary that names SIP messages but does not contain them/;
/** Problems that account for one message each. */
const LEFT_OUT = /^SIP message #\d+ of the input is malformed and was left out|; this SIP message was left out$/;

/** Per file (paths under corpus-external); `explains` is a regular expression, or "SUMMARY". */
const FILES = JSON.parse(readFileSync(new URL("../../test/fixtures/field-corpus-expected.json", import.meta.url), "utf8")) as Record<string, Expected>;
const explanation = (e: string) => (e === "SUMMARY" ? SUMMARY : new RegExp(e));

const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));

describe.runIf(EXTERNAL_CORPUS !== null)("the field corpus, every file: read in full or the loss is reported", () => {
  const root = EXTERNAL_CORPUS!;
  const present = () =>
    walk(root)
      .map((p) => p.slice(root.length + 1))
      .filter((p) => p !== "README.md")
      .sort();

  it("the table covers every file there is (a new file needs its tshark count here)", () => {
    expect(present()).toEqual(Object.keys(FILES).sort());
  });

  it.each(Object.entries(FILES))(
    "%s",
    (path, want) => {
      const r = analyzeBytes(new Uint8Array(readFileSync(join(root, path))));
      expect(r.messageCount).toBe(want.messages);
      expect(r.duplicatesDropped).toBe(want.duplicates ?? 0);
      const leftOut = r.problems.filter((p) => LEFT_OUT.test(p.message)).length;
      const accounted = r.messageCount + r.duplicatesDropped + leftOut;
      if (accounted < want.holds) {
        expect(want.explains, `${want.holds - accounted} of ${want.holds} messages are not accounted for`).toBeDefined();
        expect(r.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(explanation(want.explains!)));
      } else {
        expect(want.explains).toBeUndefined(); // an explanation recorded for a loss that no longer happens
      }
    },
    60_000,
  );
});
