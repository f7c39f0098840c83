-- AlterTable
ALTER TABLE "audit_event" ADD COLUMN     "target" TEXT,
ADD COLUMN     "variables_hash" TEXT;
