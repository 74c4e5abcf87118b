-- CreateEnum
CREATE TYPE "AlertSourceKind" AS ENUM ('alertmanager', 'grafana', 'pagerduty', 'generic');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('firing', 'acknowledged', 'silenced', 'resolved');

-- AlterEnum
ALTER TYPE "TimelineKind" ADD VALUE 'alert';

-- CreateTable
CREATE TABLE "alert_sources" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "kind" "AlertSourceKind" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "token_hint" TEXT NOT NULL,
    "token_rotated_at" TIMESTAMPTZ(3),
    "routes" JSONB NOT NULL DEFAULT '[]',
    "severity_mapping" JSONB,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_groups" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "source_id" UUID NOT NULL,
    "group_key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_alert_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),
    "routed_at" TIMESTAMPTZ(3),
    "route_index" INTEGER,
    "route_reason" TEXT,
    "policy_id" UUID,
    "severity_key" TEXT,
    "service" TEXT,
    "declare" BOOLEAN NOT NULL DEFAULT false,
    "incident_id" UUID,
    "page_id" UUID,
    "dispatch_error" TEXT,

    CONSTRAINT "alert_groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "source_id" UUID NOT NULL,
    "group_id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" "AlertStatus" NOT NULL,
    "title" TEXT NOT NULL,
    "severity_key" TEXT NOT NULL,
    "sender_severity" TEXT,
    "service" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "links" JSONB NOT NULL DEFAULT '[]',
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "count" INTEGER NOT NULL DEFAULT 1,
    "previous_id" UUID,
    "incident_id" UUID,
    "after_resolution" BOOLEAN NOT NULL DEFAULT false,
    "silence_id" UUID,
    "runbook_id" UUID,
    "runbook_url" TEXT,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by_id" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by_id" UUID,
    "dispatched_status" "AlertStatus",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_silences" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "matchers" JSONB NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "comment" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_by_id" UUID,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_silences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_dispatches" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "group_id" UUID NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_dispatches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_sources_name_key" ON "alert_sources"("name");

-- CreateIndex
CREATE UNIQUE INDEX "alert_sources_token_hash_key" ON "alert_sources"("token_hash");

-- CreateIndex
CREATE INDEX "alert_groups_source_id_group_key_created_at_idx" ON "alert_groups"("source_id", "group_key", "created_at");

-- CreateIndex
CREATE INDEX "alert_groups_incident_id_idx" ON "alert_groups"("incident_id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_groups_one_open_per_key" ON "alert_groups"("source_id", "group_key") WHERE (closed_at IS NULL);

-- CreateIndex
CREATE INDEX "alerts_source_id_fingerprint_created_at_idx" ON "alerts"("source_id", "fingerprint", "created_at");

-- CreateIndex
CREATE INDEX "alerts_group_id_idx" ON "alerts"("group_id");

-- CreateIndex
CREATE INDEX "alerts_incident_id_idx" ON "alerts"("incident_id");

-- CreateIndex
CREATE INDEX "alerts_created_at_id_idx" ON "alerts"("created_at", "id");

-- CreateIndex
CREATE INDEX "alerts_status_created_at_idx" ON "alerts"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_one_unresolved_per_identity" ON "alerts"("source_id", "fingerprint") WHERE (resolved_at IS NULL);

-- CreateIndex
CREATE INDEX "alert_silences_ends_at_idx" ON "alert_silences"("ends_at");

-- CreateIndex
CREATE INDEX "alert_dispatches_status_created_at_idx" ON "alert_dispatches"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_dispatches_one_waiting_per_group" ON "alert_dispatches"("group_id") WHERE (status = 'pending' AND attempt_count = 0);

-- AddForeignKey
ALTER TABLE "alert_sources" ADD CONSTRAINT "alert_sources_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_groups" ADD CONSTRAINT "alert_groups_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "alert_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_groups" ADD CONSTRAINT "alert_groups_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "alert_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "alert_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_previous_id_fkey" FOREIGN KEY ("previous_id") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_silence_id_fkey" FOREIGN KEY ("silence_id") REFERENCES "alert_silences"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_runbook_id_fkey" FOREIGN KEY ("runbook_id") REFERENCES "runbooks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_id_fkey" FOREIGN KEY ("acknowledged_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_resolved_by_id_fkey" FOREIGN KEY ("resolved_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_silences" ADD CONSTRAINT "alert_silences_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_silences" ADD CONSTRAINT "alert_silences_ended_by_id_fkey" FOREIGN KEY ("ended_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_dispatches" ADD CONSTRAINT "alert_dispatches_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "alert_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma does not model CHECK constraints, and leaves them alone): an alert is
-- resolved exactly when it has a resolution time, which the partial unique index above relies on.
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_resolved_at_matches_status" CHECK (("status" = 'resolved') = ("resolved_at" IS NOT NULL));
