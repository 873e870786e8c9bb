import { readdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { AnalysisWorkerPool } from "../src/workers/pool.js";

/** Nice values of this process's threads (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceness(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    // Fields after the parenthesised name, which may itself contain spaces.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

describe.runIf(process.platform === "linux")("bulk analysis threads yield the CPU", () => {
  const pools: AnalysisWorkerPool[] = [];
  afterAll(async () => {
    for (const pool of pools) await pool.close();
  });

  it("a pool with a niceness runs its worker threads at it; the API's own threads stay at 0", async () => {
    const before = threadNiceness();
    expect(before.every((n) => n === 0)).toBe(true);
    const pool = new AnalysisWorkerPool({ size: 1, databaseUrl: inject("databaseUrl"), timeoutMs: 60_000, maxHeapMb: 256, niceness: 10 });
    pools.push(pool);
    await pool.warm();
    const after = threadNiceness();
    expect(after.filter((n) => n === 10).length).toBeGreaterThanOrEqual(1);
    expect(after.filter((n) => n === 0).length).toBeGreaterThanOrEqual(before.length);
  });
});
