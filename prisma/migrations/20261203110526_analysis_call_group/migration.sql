-- AlterTable
ALTER TABLE "analysis_call" ADD COLUMN     "group_basis" TEXT,
ADD COLUMN     "group_call_ids" TEXT[],
ADD COLUMN     "group_confidence" DOUBLE PRECISION,
ADD COLUMN     "group_id" TEXT,
ADD COLUMN     "group_leg" INTEGER,
ADD COLUMN     "group_legs" INTEGER,
ADD COLUMN     "group_note" TEXT;

-- CreateIndex
CREATE INDEX "analysis_call_analysis_id_group_id_ordinal_idx" ON "analysis_call"("analysis_id", "group_id", "ordinal");
