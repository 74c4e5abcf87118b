-- The dashboard lists incidents resolved in the last seven days, newest first; without an index
-- on resolved_at PostgreSQL read all of them (a sequential scan of 100,000 incidents, 127 ms, in
-- the plans `npm run bench -- --scale large` takes).
-- CreateIndex
CREATE INDEX "incidents_resolved_at_idx" ON "incidents"("resolved_at");
