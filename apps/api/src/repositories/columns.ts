import {
  callOutcomeSchema,
  causeCodeSchema,
  correlationBasisSchema,
  errorCodeSchema,
  findingCodeSchema,
  formatIdSchema,
  jobStateSchema,
  severitySchema,
  type ErrorCode,
} from "@siplens/contracts";
import type { z } from "zod";

/**
 * The enum-like text columns, checked against the @siplens/contracts enums wherever a value goes
 * into the database or comes out of it. The names stay in the contracts only (a Postgres enum would
 * be a second list, and need a migration for every new finding code); a value that is not one of
 * them is refused before it is stored, and a stored one read back is reported with its column,
 * never passed on under a cast.
 */
function enumColumn<S extends z.ZodType<string>>(column: string, schema: S): (value: unknown) => z.output<S> {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Error(`${column}: ${JSON.stringify(value)} is not a value the contracts define`);
    return parsed.data;
  };
}

function listColumn<T>(one: (value: unknown) => T): (values: readonly unknown[]) => T[] {
  return (values) => values.map(one);
}

export const formatColumn = enumColumn("analysis.format", formatIdSchema);
export const findingCodeColumn = enumColumn("analysis_finding.code", findingCodeSchema);
export const severityColumn = enumColumn("analysis_finding.severity", severitySchema);
export const outcomeColumn = enumColumn("analysis_call.outcome", callOutcomeSchema);
export const findingCodesColumn = listColumn(enumColumn("analysis_call.finding_codes", findingCodeSchema));
export const causeCodesColumn = listColumn(enumColumn("analysis_call.cause_codes", causeCodeSchema));
export const groupBasisColumn = enumColumn("analysis_call.group_basis", correlationBasisSchema);
export const jobStateColumn = enumColumn("analysis_job.status", jobStateSchema);
export const jobErrorCodeColumn = enumColumn("analysis_job.error_code", errorCodeSchema);

/**
 * A failed job's stored code, read back. Error codes leave the contracts ("unprocessable" did), and
 * a job row outlives the version that failed it by a week: one the contracts no longer know reads
 * as a failed analysis, as the job's answer has always said then.
 */
export const storedJobErrorCode = (value: string): ErrorCode => errorCodeSchema.catch("analysis-failed").parse(value);
