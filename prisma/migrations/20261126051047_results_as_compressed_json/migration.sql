-- Results move from jsonb to gzip-compressed JSON (bytea). SQL cannot gzip the rows already
-- stored, and this lands before the first release, so analyses made by pre-release builds
-- (development databases only) are removed rather than left without a result.
DELETE FROM "share";
DELETE FROM "analysis";
DELETE FROM "analysis_input_chunk" c WHERE NOT EXISTS (SELECT 1 FROM "analysis_job" j WHERE j."analysis_id" = c."analysis_id" AND j."status" IN ('queued', 'running'));
UPDATE "analysis_job" SET "status" = 'failed', "error_code" = 'analysis-failed', "error_message" = 'removed by a storage upgrade: analyse the trace again' WHERE "status" = 'done';

-- AlterTable
ALTER TABLE "analysis" DROP COLUMN "result",
ADD COLUMN     "result_gz" BYTEA NOT NULL;

-- AlterTable
ALTER TABLE "share" DROP COLUMN "snapshot",
ADD COLUMN     "snapshot_gz" BYTEA NOT NULL;
