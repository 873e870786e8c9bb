import { describe, expect, it } from "vitest";
import { formatClock, formatDateTime, formatDuration, formatMs, formatRowTime } from "./time.js";

describe("time formatting", () => {
  it("prints UTC clock times with milliseconds", () => {
    expect(formatClock(Date.UTC(2026, 10, 26, 3, 44, 35, 494) / 1000)).toBe("03:44:35.494");
  });
  it("prints durations with a precision that fits their size", () => {
    expect(formatDuration(0.0123)).toBe("0.012 s");
    expect(formatDuration(32.04)).toBe("32.0 s");
    expect(formatDuration(185)).toBe("3 min 5 s");
    expect(formatRowTime("delta", 10.5, 10, 9)).toBe("+0.500 s");
    expect(formatRowTime("since-start", 10.5, 10, 9)).toBe("1.500 s");
    expect(formatRowTime("absolute", null, 10, 9)).toBe("");
  });
});

describe("time at the input's precision (µs from a pcap)", () => {
  // a CANCEL 0.213 ms after the 200 OK, 12 s into a trace, as a pcap's µs timestamps carry it
  const start = 1795664684.129422;
  const ok = 1795664696.190368;
  const cancel = 1795664696.190581;

  it("shows clock, delta and since-start to the µs", () => {
    expect(formatRowTime("absolute", cancel, ok, start, 6)).toBe(formatClock(cancel, 6));
    expect(formatClock(cancel, 6)).toMatch(/^\d\d:\d\d:\d\d\.190581$/);
    expect(formatRowTime("delta", cancel, ok, start, 6)).toBe("+0.000213 s");
    // no drop to 0.1 s after ten seconds
    expect(formatRowTime("since-start", cancel, ok, start, 6)).toBe("12.061159 s");
    expect(formatDateTime(cancel, 6)).toMatch(/^2026-11-\d\d \d\d:\d\d:\d\d\.190581 UTC$/);
  });
  it("says a sub-millisecond gap in µs instead of 0 ms", () => {
    expect(formatMs(0.213, 6)).toBe("0.213 ms");
    expect(formatMs(0.213)).toBe("0 ms");
    expect(formatMs(32_000.114, 6)).toBe("32.000114 s");
    expect(formatMs(725_000)).toBe("12 min 5 s");
  });
  it("carries a second over instead of printing 1000 ms", () => {
    expect(formatClock(Date.UTC(2026, 0, 1, 0, 0, 59) / 1000 + 0.9999999, 6)).toBe("00:01:00.000000");
    expect(formatRowTime("delta", 10, 10.0000001, 9, 6)).toBe("+0.000000 s");
  });
});
