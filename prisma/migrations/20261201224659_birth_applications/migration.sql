-- CreateEnum
CREATE TYPE "BirthApplicationStatus" AS ENUM ('SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'NEEDS_CORRECTION', 'REJECTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "BirthStepState" AS ENUM ('BLOCKED', 'READY', 'DISPATCHED', 'AWAITING_REPLY', 'SUCCEEDED', 'REJECTED', 'FAILED', 'SKIPPED', 'CANCELLED');

-- CreateTable
CREATE TABLE "birth_application" (
    "id" TEXT NOT NULL,
    "status" "BirthApplicationStatus" NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "input" JSONB NOT NULL,
    "registering_parent" TEXT NOT NULL,
    "mother_citizen_id" TEXT NOT NULL,
    "father_citizen_id" TEXT NOT NULL,
    "child_birth_date" TEXT NOT NULL,
    "birth_order" INTEGER NOT NULL,
    "active_guard" TEXT,
    "child_citizen_id" TEXT,
    "region_code" TEXT NOT NULL,
    "consumer_id" UUID NOT NULL,
    "consumer_code" TEXT NOT NULL,
    "workflow_app" TEXT NOT NULL,
    "workflow_started_at" TIMESTAMPTZ(3),
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "paused_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "correction_step" TEXT,
    "correction_reason" TEXT,
    "correction_field" TEXT,
    "correction_message" TEXT,
    "cancel_reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "birth_application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "birth_application_step" (
    "application_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "state" "BirthStepState" NOT NULL,
    "connector" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "key_revision" INTEGER NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "input_hash" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "ready_at" TIMESTAMPTZ(3),
    "dispatched_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "deadline_at" TIMESTAMPTZ(3),
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "reply_reason" TEXT,
    "reply_field" TEXT,
    "reply_message" TEXT,
    "identifier" TEXT,
    "lineage" JSONB,
    "last_error" TEXT,

    CONSTRAINT "birth_application_step_pkey" PRIMARY KEY ("application_id","code")
);

-- CreateTable
CREATE TABLE "birth_application_event" (
    "seq" BIGSERIAL NOT NULL,
    "application_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "step" TEXT,
    "revision" INTEGER NOT NULL,
    "detail" JSONB,

    CONSTRAINT "birth_application_event_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "birth_application_request" (
    "consumer_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "application_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "birth_application_request_pkey" PRIMARY KEY ("consumer_id","idempotency_key")
);

-- CreateTable
CREATE TABLE "birth_callback_receipt" (
    "idempotency_key" TEXT NOT NULL,
    "reply_digest" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "birth_callback_receipt_pkey" PRIMARY KEY ("idempotency_key","reply_digest")
);

-- CreateTable
CREATE TABLE "workflow_executor" (
    "executor_id" TEXT NOT NULL,
    "app" TEXT NOT NULL,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workflow_executor_pkey" PRIMARY KEY ("executor_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "birth_application_active_guard_key" ON "birth_application"("active_guard");

-- CreateIndex
CREATE INDEX "birth_application_status_region_code_idx" ON "birth_application"("status", "region_code");

-- CreateIndex
CREATE INDEX "birth_application_submitted_at_idx" ON "birth_application"("submitted_at");

-- CreateIndex
CREATE INDEX "birth_application_step_overdue_idx" ON "birth_application_step"("overdue");

-- CreateIndex
CREATE UNIQUE INDEX "birth_application_step_idempotency_key_key" ON "birth_application_step"("idempotency_key");

-- CreateIndex
CREATE INDEX "birth_application_event_application_id_seq_idx" ON "birth_application_event"("application_id", "seq");

-- CreateIndex
CREATE INDEX "workflow_executor_app_heartbeat_at_idx" ON "workflow_executor"("app", "heartbeat_at");

-- AddForeignKey
ALTER TABLE "birth_application_step" ADD CONSTRAINT "birth_application_step_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "birth_application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "birth_application_event" ADD CONSTRAINT "birth_application_event_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "birth_application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "birth_application_request" ADD CONSTRAINT "birth_application_request_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "birth_application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A case's history is append-only: rewriting it needs a superuser who bypasses triggers.
CREATE FUNCTION birth_application_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'birth_application_event is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER birth_application_event_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON "birth_application_event"
  FOR EACH STATEMENT EXECUTE FUNCTION birth_application_event_append_only();
