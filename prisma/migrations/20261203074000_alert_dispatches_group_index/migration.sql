-- Deleting an alert group (deleting its source cascades to its groups) deletes its dispatches,
-- found by group_id. The only index on that column, alert_dispatches_one_waiting_per_group,
-- covers the waiting rows alone, so each deleted group scanned every dispatch. The foreign-key
-- test in tests/integration/migrations.test.ts now counts a partial index only when its predicate
-- is `column IS NOT NULL`, and found this one.
CREATE INDEX "alert_dispatches_group_id_idx" ON "alert_dispatches"("group_id");
