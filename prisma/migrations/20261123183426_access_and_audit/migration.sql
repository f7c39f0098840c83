-- CreateEnum
CREATE TYPE "ConsumerStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'REVOKED');

-- CreateEnum
CREATE TYPE "ConsumerRole" AS ENUM ('ADMIN', 'AUDITOR', 'DEVELOPER');

-- CreateEnum
CREATE TYPE "SharingClass" AS ENUM ('UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED');

-- CreateEnum
CREATE TYPE "MaskKind" AS ENUM ('CITIZEN_ID', 'NAME', 'PHONE', 'ADDRESS');

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('OK', 'PARTIAL', 'FAILED');

-- CreateTable
CREATE TABLE "consumer" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "status" "ConsumerStatus" NOT NULL DEFAULT 'ACTIVE',
    "roles" "ConsumerRole"[],
    "purposes" TEXT[],
    "region_code" TEXT,
    "rate_limit_per_minute" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "consumer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "consumer_id" UUID NOT NULL,
    "key_hash" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consumer_grant" (
    "consumer_id" UUID NOT NULL,
    "item_code" TEXT NOT NULL,
    "purposes" TEXT[],

    CONSTRAINT "consumer_grant_pkey" PRIMARY KEY ("consumer_id","item_code")
);

-- CreateTable
CREATE TABLE "purpose" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,

    CONSTRAINT "purpose_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "catalogue_item" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "owner_department" TEXT NOT NULL,
    "class" "SharingClass" NOT NULL,
    "personal" BOOLEAN NOT NULL,

    CONSTRAINT "catalogue_item_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "catalogue_field" (
    "coordinate" TEXT NOT NULL,
    "item_code" TEXT NOT NULL,
    "mask" "MaskKind",

    CONSTRAINT "catalogue_field_pkey" PRIMARY KEY ("coordinate")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "seq" BIGSERIAL NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "consumer_id" UUID NOT NULL,
    "consumer_code" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "operation_name" TEXT,
    "document_hash" TEXT NOT NULL,
    "subjects" TEXT[],
    "catalogue_items" TEXT[],
    "outcome" "AuditOutcome" NOT NULL,
    "request_id" TEXT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "consumer_code_key" ON "consumer"("code");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE INDEX "api_key_consumer_id_idx" ON "api_key"("consumer_id");

-- CreateIndex
CREATE INDEX "catalogue_field_item_code_idx" ON "catalogue_field"("item_code");

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_prev_hash_key" ON "audit_event"("prev_hash");

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_hash_key" ON "audit_event"("hash");

-- CreateIndex
CREATE INDEX "audit_event_consumer_code_time_idx" ON "audit_event"("consumer_code", "time");

-- CreateIndex
CREATE INDEX "audit_event_subjects_idx" ON "audit_event" USING GIN ("subjects");

-- CreateIndex
CREATE INDEX "audit_event_time_idx" ON "audit_event"("time");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_consumer_id_fkey" FOREIGN KEY ("consumer_id") REFERENCES "consumer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consumer_grant" ADD CONSTRAINT "consumer_grant_consumer_id_fkey" FOREIGN KEY ("consumer_id") REFERENCES "consumer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consumer_grant" ADD CONSTRAINT "consumer_grant_item_code_fkey" FOREIGN KEY ("item_code") REFERENCES "catalogue_item"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalogue_field" ADD CONSTRAINT "catalogue_field_item_code_fkey" FOREIGN KEY ("item_code") REFERENCES "catalogue_item"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit trail is append-only for the hub: updates and deletes are refused by the database itself. Tampering
-- therefore needs a database superuser (who can bypass triggers), and `npm run audit:verify` detects it.
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER audit_event_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
