// The quick fuzz run of `npm test`: a fixed seed, so a failure here is reproducible and CI is not
// flaky; `pnpm --filter @siplens/analysis fuzz` runs the long, randomly seeded campaign.
import fc from "fast-check";
import { describe, it } from "vitest";
import { checkInput, fuzzTargets } from "./targets.js";

const RUNS = Number(process.env["FUZZ_QUICK_RUNS"] ?? 100);
const SEED = Number(process.env["FUZZ_SEED"] ?? 20261203);

describe("fuzzed input never throws past a reader, never hangs, and its output stays bounded", () => {
  for (const target of fuzzTargets()) {
    it(target.name, () => {
      fc.assert(
        fc.property(target.inputs, (input) => checkInput(target, input)),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }
});
