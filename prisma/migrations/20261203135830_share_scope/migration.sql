-- AlterTable
ALTER TABLE "share" ADD COLUMN     "scope_ordinals" INTEGER[] DEFAULT ARRAY[]::INTEGER[];
