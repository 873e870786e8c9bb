import { readFileSync } from "node:fs";

/** Counts from a vitest JSON report, or undefined when the run wrote none (it crashed). */
export function vitestCounts(file) {
  const report = readJson(file);
  if (!report) return undefined;
  // A test file that fails to load runs no test at all: count the file as one failure.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === "failed" && !(file.assertionResults ?? []).some((test) => test.status === "failed"),
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** Counts from a Playwright JSON report; flaky tests passed on retry and count as passed. */
export function playwrightCounts(file) {
  const report = readJson(file);
  if (!report?.stats) return undefined;
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
  return { passed: expected + flaky, failed: unexpected + (report.errors?.length ? 1 : 0), skipped };
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

export function sum(counts) {
  return counts.reduce((total, c) => ({ passed: total.passed + c.passed, failed: total.failed + c.failed, skipped: total.skipped + c.skipped }), {
    passed: 0,
    failed: 0,
    skipped: 0,
  });
}
