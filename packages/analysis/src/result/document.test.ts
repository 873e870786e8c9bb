import { describe, expect, it } from "vitest";
import { analyzeBytesToParts } from "../analyze.js";
import { traceBytes } from "../../test/corpus.js";
import { resultDocument, resultDocumentChunks } from "./document.js";

const trace = (s: string) => traceBytes(s);

describe("the JSON document writer", () => {
  it("streams a result far larger than its chunk size without ever holding a string of that size", () => {
    const parts = analyzeBytesToParts(trace("S2_fork_one_answers_others_cancelled"));
    const chunkChars = 2048;
    const chunks = [...resultDocumentChunks(parts, { chunkChars })];
    const whole = chunks.join("");
    expect(whole.length).toBeGreaterThan(chunkChars * 10);
    // A chunk may exceed the target by at most the one item that crossed it.
    const document = resultDocument(parts);
    const largestItem = Math.max(...[...document.messages, ...document.findings, ...document.calls].map((item) => JSON.stringify(item).length));
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(chunkChars + largestItem + 64);
    expect(JSON.parse(whole)).toEqual(resultDocument(parts));
  });
});
