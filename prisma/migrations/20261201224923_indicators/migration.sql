-- CreateEnum
CREATE TYPE "IndicatorDefinitionSource" AS ENUM ('FILE', 'EDIT');

-- CreateTable
CREATE TABLE "indicator_definition" (
    "code" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "content_hash" TEXT NOT NULL,
    "source" "IndicatorDefinitionSource" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "change_note" TEXT,

    CONSTRAINT "indicator_definition_pkey" PRIMARY KEY ("code","version")
);

-- CreateTable
CREATE TABLE "indicator_reported_value" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "evidence" TEXT NOT NULL,
    "reported_by" TEXT NOT NULL,
    "reported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "request_id" TEXT NOT NULL,

    CONSTRAINT "indicator_reported_value_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "indicator_run" (
    "id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "consumer_code" TEXT,
    "event" JSONB NOT NULL,

    CONSTRAINT "indicator_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "indicator_aggregate_cache" (
    "key" TEXT NOT NULL,
    "connector" TEXT NOT NULL,
    "rows" JSONB NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "indicator_aggregate_cache_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "department_data_version" (
    "connector" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "department_data_version_pkey" PRIMARY KEY ("connector")
);

-- CreateIndex
CREATE INDEX "indicator_reported_value_code_region_code_period_reported_a_idx" ON "indicator_reported_value"("code", "region_code", "period", "reported_at");

-- CreateIndex
CREATE INDEX "indicator_run_created_at_idx" ON "indicator_run"("created_at");

-- CreateIndex
CREATE INDEX "indicator_aggregate_cache_expires_at_idx" ON "indicator_aggregate_cache"("expires_at");
