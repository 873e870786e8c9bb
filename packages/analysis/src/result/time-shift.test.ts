import { describe, expect, it } from "vitest";
import { analyzeBytesToParts, ladderRowsOf, parseSipMessage, shiftTimes } from "../index.js";
import { traceText } from "../../test/corpus.js";

const TRACE = "S1b_caller_hangup_via_kamailio_udp";
const DATE = "Thu, 26 Nov 2026 03:44:37 GMT";
// The corpus INVITE with the Date header a UA adds.
const text = traceText(TRACE, "sngrep.txt").replace("Max-Forwards: 70", `Max-Forwards: 70\r\nDate: ${DATE}`);
const parts = analyzeBytesToParts(new TextEncoder().encode(text));
const OFFSET = -86_400 * 97 - 3_599;

describe("shifting a share's times", () => {
  it("moves every absolute time by the offset and leaves intervals as they were", () => {
    const overview = shiftTimes(parts.overview, OFFSET);
    expect(overview.startTime! - parts.overview.startTime!).toBeCloseTo(OFFSET, 6);
    expect(overview.endTime! - parts.overview.endTime!).toBeCloseTo(OFFSET, 6);
    const [row] = parts.callRows.map((r) => shiftTimes(r, OFFSET));
    expect(row!.startTime! - parts.callRows[0]!.startTime!).toBeCloseTo(OFFSET, 6);
    const detail = [...parts.callDetails()][0]!;
    const shifted = shiftTimes(detail, OFFSET);
    shifted.messages.forEach((m, i) => expect(m.time! - detail.messages[i]!.time!).toBeCloseTo(OFFSET, 6));
    // Intervals between messages are the capture's, to the microsecond.
    const gaps = (ms: typeof detail.messages) => ms.slice(1).map((m, i) => Math.round((m.time! - ms[i]!.time!) * 1e6));
    expect(gaps(shifted.messages)).toEqual(gaps(detail.messages));
    const rows = shiftTimes(ladderRowsOf(detail.messages), OFFSET);
    expect(rows.map((r) => [r.delta, r.sinceStart])).toEqual(ladderRowsOf(detail.messages).map((r) => [r.delta, r.sinceStart]));
    expect(rows[0]!.time! - detail.messages[0]!.time!).toBeCloseTo(OFFSET, 6);
  });

  it("moves Date headers in the raw text and the header list alike", () => {
    const block = [...parts.messageBlocks()][0]!;
    const raw = block.raw[0]!;
    const message = { ...block.messages[0]!, raw, headers: parseSipMessage(raw).headers.map((h) => ({ name: h.name, value: h.value })) };
    const shifted = shiftTimes(message, OFFSET);
    const moved = new Date(Date.parse(DATE) + OFFSET * 1000).toUTCString();
    expect(moved).toBe("Fri, 21 Aug 2026 02:44:38 GMT");
    expect(shifted.raw).toContain(`\r\nDate: ${moved}\r\n`);
    expect(shifted.raw).not.toContain(DATE);
    expect(shifted.headers.find((h) => h.name === "Date")?.value).toBe(moved);
    expect(shifted.raw.replace(moved, DATE)).toBe(raw);
  });
});
