import { describe, expect, it } from "vitest";
import { fitTimerG, matchKnownTimer, nearestKnownTimer, T1_MS, T2_MS } from "./timers.js";

describe("RFC 3261 timers", () => {
  it("an interval within scheduling jitter of 64·T1 or of Timer C is that timer; elsewhere none", () => {
    expect(matchKnownTimer(64 * T1_MS + 40)?.name).toMatch(/Timer B/);
    expect(matchKnownTimer(180_000 - 900)?.name).toMatch(/Timer C/);
    expect(matchKnownTimer(4_970)).toBeUndefined();
    expect(nearestKnownTimer(4_970)!.deltaMs).toBe(4_970 - nearestKnownTimer(4_970)!.nominalMs);
  });

  it("Timer G doubles from T1 and caps at T2; a constant spacing does not match it", () => {
    const g: number[] = [0];
    for (let k = 1; k <= 10; k++) g.push(g[k - 1]! + Math.min(T1_MS * 2 ** (k - 1), T2_MS) / 1000);
    const fit = fitTimerG(g);
    expect(fit.matches).toBe(true);
    expect(fit.reachedTimerH).toBe(true);
    expect(fitTimerG([0, 1, 2, 3]).matches).toBe(false);
  });
});
