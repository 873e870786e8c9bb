-- AlterTable
ALTER TABLE "analysis_job" ADD COLUMN     "client_key" TEXT;

-- CreateIndex
CREATE INDEX "analysis_job_client_key_idx" ON "analysis_job"("client_key");
