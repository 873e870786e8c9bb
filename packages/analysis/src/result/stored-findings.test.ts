import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findingSchema, type Finding } from "@siplens/contracts";

/**
 * Findings are stored one gzip row each and parsed with findingSchema when served: rows written
 * before details were typed by code (parts version 1) must still parse. The fixture holds one
 * finding of every code as the analyzer of that version wrote them (its CLI's --json on corpus
 * traces and our fixtures).
 */
const stored = JSON.parse(readFileSync(new URL("../../test/fixtures/stored/findings-parts-v1.json", import.meta.url), "utf8")) as Record<string, unknown>[];

describe("stored findings of parts version 1", () => {
  it("hold every code", () => {
    expect(new Set(stored.map((f) => f.code)).size).toBe(findingSchema.options.length);
  });

  it("parse as they are, nothing dropped (their fields are the typed ones, or kept as unknown)", () => {
    for (const row of stored) expect(findingSchema.parse(row)).toEqual(row);
  });

  it("a detail of another type reads as absent; the finding and its other details still parse", () => {
    const row = stored.find((f) => f.code === "proxy-timeout")!;
    const details = row.details as Record<string, unknown>;
    const odd = { ...row, details: { ...details, ringTimeMs: "4.95 s", timer: "Timer B", cancelledHops: [1, 2], legacyNote: { kept: true } } };
    const parsed = findingSchema.parse(odd) as Extract<Finding, { code: "proxy-timeout" }>;
    expect(parsed.code).toBe("proxy-timeout");
    expect(parsed.details.ringTimeMs).toBeUndefined();
    expect(parsed.details.timer).toBeUndefined();
    expect(parsed.details.cancelledHops).toBeUndefined();
    expect(parsed.details.cancelOriginHost).toBe(details.cancelOriginHost);
    expect(parsed.details.legacyNote).toEqual({ kept: true });
  });

  it("details that are no object at all read as none; a finding without its base fields is still refused", () => {
    const row = stored.find((f) => f.code === "missing-ack")!;
    expect(findingSchema.parse({ ...row, details: "487 x11" }).details).toEqual({});
    expect(findingSchema.safeParse({ ...row, evidence: "#3" }).success).toBe(false);
    expect(findingSchema.safeParse({ ...row, code: "no-such-code" }).success).toBe(false);
  });
});
