-- AlterTable
ALTER TABLE "analysis_call" ADD COLUMN     "cause_codes" TEXT[] DEFAULT ARRAY[]::TEXT[];
