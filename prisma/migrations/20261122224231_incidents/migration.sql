-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('investigating', 'identified', 'monitoring', 'resolved', 'closed');

-- CreateEnum
CREATE TYPE "IncidentRoleKind" AS ENUM ('commander', 'tech_lead', 'comms_lead', 'scribe');

-- CreateEnum
CREATE TYPE "TimelineKind" AS ENUM ('note', 'status', 'severity', 'role', 'checklist', 'remediation', 'communication', 'postmortem', 'system');

-- CreateTable
CREATE TABLE "severities" (
    "key" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "response_target_minutes" INTEGER NOT NULL,
    "update_cadence_minutes" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "severities_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "incidents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "severity_key" TEXT NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'investigating',
    "services" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "customer_impact" BOOLEAN NOT NULL DEFAULT false,
    "started_at" TIMESTAMPTZ(3),
    "detected_at" TIMESTAMPTZ(3),
    "declared_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "mitigated_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "last_seq" INTEGER NOT NULL DEFAULT 0,
    "declared_by_id" UUID,
    "updated_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_roles" (
    "incident_id" UUID NOT NULL,
    "role" "IncidentRoleKind" NOT NULL,
    "user_id" UUID NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "assigned_by_id" UUID,

    CONSTRAINT "incident_roles_pkey" PRIMARY KEY ("incident_id","role")
);

-- CreateTable
CREATE TABLE "incident_role_holds" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "incident_id" UUID NOT NULL,
    "role" "IncidentRoleKind" NOT NULL,
    "user_id" UUID NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_role_holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_smes" (
    "incident_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_smes_pkey" PRIMARY KEY ("incident_id","user_id")
);

-- CreateTable
CREATE TABLE "timeline_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "incident_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" "TimelineKind" NOT NULL,
    "actor_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "body" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "edited_at" TIMESTAMPTZ(3),

    CONSTRAINT "timeline_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "timeline_event_revisions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "pinned" BOOLEAN NOT NULL,
    "edited_by_id" UUID,
    "edited_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "timeline_event_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "severities_level_key" ON "severities"("level");

-- CreateIndex
CREATE UNIQUE INDEX "incidents_number_key" ON "incidents"("number");

-- CreateIndex
CREATE INDEX "incidents_status_severity_key_idx" ON "incidents"("status", "severity_key");

-- CreateIndex
CREATE INDEX "incidents_declared_at_idx" ON "incidents"("declared_at");

-- CreateIndex
CREATE INDEX "incident_roles_user_id_idx" ON "incident_roles"("user_id");

-- CreateIndex
CREATE INDEX "incident_role_holds_incident_id_role_idx" ON "incident_role_holds"("incident_id", "role");

-- CreateIndex
CREATE INDEX "timeline_events_incident_id_occurred_at_idx" ON "timeline_events"("incident_id", "occurred_at");

-- CreateIndex
CREATE INDEX "timeline_events_incident_id_kind_idx" ON "timeline_events"("incident_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "timeline_events_incident_id_seq_key" ON "timeline_events"("incident_id", "seq");

-- CreateIndex
CREATE INDEX "timeline_event_revisions_event_id_idx" ON "timeline_event_revisions"("event_id");

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_severity_key_fkey" FOREIGN KEY ("severity_key") REFERENCES "severities"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_declared_by_id_fkey" FOREIGN KEY ("declared_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_roles" ADD CONSTRAINT "incident_roles_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_roles" ADD CONSTRAINT "incident_roles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_roles" ADD CONSTRAINT "incident_roles_assigned_by_id_fkey" FOREIGN KEY ("assigned_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_role_holds" ADD CONSTRAINT "incident_role_holds_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_role_holds" ADD CONSTRAINT "incident_role_holds_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_smes" ADD CONSTRAINT "incident_smes_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_smes" ADD CONSTRAINT "incident_smes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_events" ADD CONSTRAINT "timeline_events_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_events" ADD CONSTRAINT "timeline_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_event_revisions" ADD CONSTRAINT "timeline_event_revisions_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "timeline_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_event_revisions" ADD CONSTRAINT "timeline_event_revisions_edited_by_id_fkey" FOREIGN KEY ("edited_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Default severities, from the severity table the teams' playbooks share (admins edit them later).
INSERT INTO "severities" ("key", "level", "name", "description", "response_target_minutes", "update_cadence_minutes") VALUES
  ('SEV1', 1, 'Critical', 'Complete outage or data loss: site down, payments failing, data corrupted.', 15, 30),
  ('SEV2', 2, 'Major', 'Major degradation: API errors above 25%, severe slowness, a key feature down.', 30, 60),
  ('SEV3', 3, 'Minor', 'Minor degradation: one feature broken, under 10% errors, a workaround exists.', 120, 240),
  ('SEV4', 4, 'Low', 'No user impact: internal tools, monitoring, a risk to fix soon.', 1440, 1440);
