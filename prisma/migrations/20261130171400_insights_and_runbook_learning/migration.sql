-- AlterTable
ALTER TABLE "checklist_items" ADD COLUMN     "optional" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "runbook_versions" ADD COLUMN     "source_incident_id" UUID;

-- CreateIndex
CREATE INDEX "action_items_incident_id_idx" ON "action_items"("incident_id");

-- CreateIndex
CREATE INDEX "checklists_runbook_version_id_idx" ON "checklists"("runbook_version_id");

-- CreateIndex
CREATE INDEX "incidents_severity_key_declared_at_idx" ON "incidents"("severity_key", "declared_at");

-- CreateIndex
CREATE INDEX "incidents_services_idx" ON "incidents" USING GIN ("services");

-- AddForeignKey
ALTER TABLE "runbook_versions" ADD CONSTRAINT "runbook_versions_source_incident_id_fkey" FOREIGN KEY ("source_incident_id") REFERENCES "incidents"("id") ON DELETE SET NULL ON UPDATE CASCADE;
