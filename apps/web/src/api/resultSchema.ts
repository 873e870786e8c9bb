import { z } from "zod";
import { analysisResultSchema, ladderRowSchema, ladderSchema, messageSchema, type AnalysisResult } from "@siplens/contracts";

/** Up to this many messages (and ladder rows) are validated one by one; beyond, an even sample. */
export const FULL_CHECK_LIMIT = 5000;

function sampleIndices(length: number): number[] {
  if (length <= FULL_CHECK_LIMIT) return Array.from({ length }, (_, i) => i);
  const step = length / FULL_CHECK_LIMIT;
  return Array.from({ length: FULL_CHECK_LIMIT }, (_, i) => Math.floor(i * step)).concat(length - 1);
}

/**
 * The analysis result as it arrives. The API already serialises it through the same contract, and
 * re-validating 50,000 messages field by field costs seconds in the browser; so every top-level field,
 * call and finding is checked, and the messages and ladder rows are checked in full up to
 * FULL_CHECK_LIMIT and by an even sample beyond (a wrong shape anywhere in a sample still fails).
 */
export const analysisResultWireSchema = analysisResultSchema
  .extend({
    messages: z.array(z.unknown()),
    ladder: ladderSchema.extend({ rows: z.array(z.unknown()) }),
  })
  .superRefine((result, ctx) => {
    for (const [items, schema, path] of [
      [result.messages, messageSchema, "messages"],
      [result.ladder.rows, ladderRowSchema, "ladder.rows"],
    ] as const) {
      for (const i of sampleIndices(items.length)) {
        const checked = schema.safeParse(items[i]);
        if (!checked.success) {
          ctx.addIssue({ code: "custom", message: `${path}[${i}]: ${checked.error.issues[0]?.message ?? "invalid"}`, path: [path, i] });
          return;
        }
      }
    }
  })
  .transform((result) => result as unknown as AnalysisResult);
