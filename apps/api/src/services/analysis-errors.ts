import { databaseUnavailable, HttpError, notATrace, tooLarge } from "../errors.js";
import { isDatabaseUnavailable } from "../lib/database-errors.js";
import { AnalysisFailure } from "../workers/pool.js";

/** What the client is told when an analysis fails; also what a failed job records. */
export function httpErrorOfAnalysis(error: unknown): HttpError {
  if (!(error instanceof AnalysisFailure)) return new HttpError(500, "analysis-failed", "the analysis failed");
  switch (error.kind) {
    case "not-a-trace":
      return notATrace(error.tried);
    case "too-large":
    case "out-of-memory":
      return tooLarge(error.message);
    case "commit":
      // The trace was fine; storing it failed because the database is away: "try again", not a bug.
      return isDatabaseUnavailable(error) ? databaseUnavailable() : new HttpError(500, "analysis-failed", "the analysis stopped unexpectedly");
    case "timeout":
    case "error":
      return new HttpError(422, "analysis-failed", error.message);
    default:
      return new HttpError(500, "analysis-failed", "the analysis stopped unexpectedly");
  }
}
