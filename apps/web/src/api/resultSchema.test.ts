import { describe, expect, it } from "vitest";
import { analysisResultWireSchema } from "./resultSchema";
import { bigResult, sampleResult } from "../test/sampleResult";

describe("analysisResultWireSchema", () => {
  it("accepts a real-shaped result and keeps every message", () => {
    const parsed = analysisResultWireSchema.parse(sampleResult());
    expect(parsed.messages).toHaveLength(sampleResult().messages.length);
  });
  it("rejects a broken message in a small result", () => {
    const result = sampleResult();
    const broken = { ...result, messages: result.messages.map((m, i) => (i === 3 ? { ...m, raw: 42 } : m)) };
    expect(analysisResultWireSchema.safeParse(broken).success).toBe(false);
  });
  it("checks large results by sample and still catches a systematically wrong shape", () => {
    const big = bigResult(2000);
    expect(analysisResultWireSchema.safeParse(big).success).toBe(true);
    const wrong = { ...big, ladder: { ...big.ladder, rows: big.ladder.rows.map((r) => ({ ...r, from: undefined })) } };
    expect(analysisResultWireSchema.safeParse(wrong).success).toBe(false);
  });
});
