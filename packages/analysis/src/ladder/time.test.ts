import { describe, expect, it } from "vitest";
import { formatClock, formatDuration, formatRowTime } from "./time.js";

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
