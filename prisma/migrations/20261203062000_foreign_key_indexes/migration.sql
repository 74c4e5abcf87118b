-- Deleting (or cascading a delete to) a row makes PostgreSQL find the rows that refer to it, once
-- per deleted row. Without an index on the referring column each of those lookups scans the whole
-- referring table. The worst case: deleting an alert source cascades to its alerts, and each
-- deleted alert looked for alerts naming it as their previous episode (alerts.previous_id) by
-- scanning every alert: 30,000 alerts held a core for 40 s, and the time grows with the square of
-- the count. These indexes give every foreign key outside users (never deleted: people are
-- disabled) one that leads with its column; tests/integration/migrations.test.ts keeps it so.
-- The nullable columns are mostly null, so their indexes are partial (schema.prisma cannot state
-- that; they are written here by hand, as alerts_linked_incident_idx).
CREATE INDEX "alerts_previous_id_idx" ON "alerts"("previous_id") WHERE "previous_id" IS NOT NULL;
CREATE INDEX "alerts_silence_id_idx" ON "alerts"("silence_id") WHERE "silence_id" IS NOT NULL;
CREATE INDEX "alerts_runbook_id_idx" ON "alerts"("runbook_id") WHERE "runbook_id" IS NOT NULL;
CREATE INDEX "alert_groups_page_id_idx" ON "alert_groups"("page_id") WHERE "page_id" IS NOT NULL;
CREATE INDEX "pages_policy_id_idx" ON "pages"("policy_id") WHERE "policy_id" IS NOT NULL;
CREATE INDEX "calendar_feeds_schedule_id_idx" ON "calendar_feeds"("schedule_id") WHERE "schedule_id" IS NOT NULL;
CREATE INDEX "runbook_versions_source_incident_id_idx" ON "runbook_versions"("source_incident_id") WHERE "source_incident_id" IS NOT NULL;
CREATE INDEX "remediation_deliveries_action_id_idx" ON "remediation_deliveries"("action_id");
