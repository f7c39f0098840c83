-- CreateEnum
CREATE TYPE "RegionLevel" AS ENUM ('CITY', 'DISTRICT', 'STREET', 'COMMUNITY');

-- CreateTable
CREATE TABLE "region" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "RegionLevel" NOT NULL,
    "parent_code" TEXT,

    CONSTRAINT "region_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "region_parent_code_idx" ON "region"("parent_code");

-- CreateIndex
CREATE INDEX "region_level_idx" ON "region"("level");

-- AddForeignKey
ALTER TABLE "region" ADD CONSTRAINT "region_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
