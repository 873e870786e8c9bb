-- AlterTable
ALTER TABLE "analysis" ADD COLUMN     "overview_gz" BYTEA,
ADD COLUMN     "parts_version" INTEGER NOT NULL DEFAULT 0,
ALTER COLUMN "result_gz" DROP NOT NULL;

-- AlterTable
ALTER TABLE "analysis_finding" ADD COLUMN     "data_gz" BYTEA,
ADD COLUMN     "ordinal" INTEGER;

-- AlterTable
ALTER TABLE "share" ADD COLUMN     "redaction_key" BYTEA,
ALTER COLUMN "snapshot_gz" DROP NOT NULL;

-- CreateTable
CREATE TABLE "analysis_call" (
    "analysis_id" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "call_id" TEXT NOT NULL,
    "from_uri" TEXT,
    "to_uri" TEXT,
    "start_time" DOUBLE PRECISION,
    "end_time" DOUBLE PRECISION,
    "outcome" TEXT NOT NULL,
    "final_status" INTEGER,
    "finding_codes" TEXT[],
    "message_count" INTEGER NOT NULL,
    "hosts" TEXT[],
    "branches" INTEGER NOT NULL,
    "search" TEXT NOT NULL,
    "detail_gz" BYTEA NOT NULL,

    CONSTRAINT "analysis_call_pkey" PRIMARY KEY ("analysis_id","ordinal")
);

-- CreateTable
CREATE TABLE "analysis_message_block" (
    "analysis_id" TEXT NOT NULL,
    "block" INTEGER NOT NULL,
    "first_index" INTEGER NOT NULL,
    "start_time" DOUBLE PRECISION,
    "end_time" DOUBLE PRECISION,
    "summaries_gz" BYTEA NOT NULL,
    "raw_gz" BYTEA NOT NULL,

    CONSTRAINT "analysis_message_block_pkey" PRIMARY KEY ("analysis_id","block")
);

-- CreateIndex
CREATE INDEX "analysis_call_analysis_id_outcome_ordinal_idx" ON "analysis_call"("analysis_id", "outcome", "ordinal");

-- CreateIndex
CREATE INDEX "analysis_message_block_analysis_id_start_time_idx" ON "analysis_message_block"("analysis_id", "start_time");

-- CreateIndex
CREATE UNIQUE INDEX "analysis_finding_analysis_id_ordinal_key" ON "analysis_finding"("analysis_id", "ordinal");

-- AddForeignKey
ALTER TABLE "analysis_call" ADD CONSTRAINT "analysis_call_analysis_id_fkey" FOREIGN KEY ("analysis_id") REFERENCES "analysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analysis_message_block" ADD CONSTRAINT "analysis_message_block_analysis_id_fkey" FOREIGN KEY ("analysis_id") REFERENCES "analysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
