-- AlterTable
ALTER TABLE "share" ADD COLUMN     "time_shift_seconds" INTEGER;
