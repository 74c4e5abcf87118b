-- CreateTable
CREATE TABLE "insight_rollups" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "severity_key" TEXT NOT NULL,
    "incidents" INTEGER NOT NULL,
    "response_met" INTEGER NOT NULL,
    "acknowledged" INTEGER NOT NULL,
    "unacknowledged_deadlines" TIMESTAMPTZ(3)[],
    "updates_on_time" INTEGER NOT NULL,
    "updates_posted" INTEGER NOT NULL,
    "updates_missed_last" INTEGER NOT NULL,
    "open_update_deadlines" TIMESTAMPTZ(3)[],
    "ttr_buckets" INTEGER[],
    "ttd" INTEGER[],
    "tta" INTEGER[],
    "ttm" INTEGER[],
    "ttr" INTEGER[],
    "reviews_on_time" INTEGER NOT NULL,
    "reviews_published" INTEGER NOT NULL,
    "reviews_due" TIMESTAMPTZ(3)[],
    "items_open" INTEGER NOT NULL,
    "items_done" INTEGER NOT NULL,
    "items_open_due" DATE[],
    "items_open_created" TIMESTAMPTZ(3)[],
    "with_alerts" INTEGER NOT NULL,
    "from_alert" INTEGER NOT NULL,
    "alert_counts" INTEGER[],

    CONSTRAINT "insight_rollups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "insight_service_rollups" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "severity_key" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "incidents" INTEGER NOT NULL,
    "impact_minutes" INTEGER NOT NULL,
    "open_impact_from" TIMESTAMPTZ(3)[],

    CONSTRAINT "insight_service_rollups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "insight_rollup_days" (
    "day" DATE NOT NULL,

    CONSTRAINT "insight_rollup_days_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "insight_stale_days" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "insight_stale_days_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "insight_rollups_day_idx" ON "insight_rollups"("day");

-- CreateIndex
CREATE INDEX "insight_service_rollups_day_idx" ON "insight_service_rollups"("day");

-- CreateIndex
CREATE INDEX "insight_stale_days_day_idx" ON "insight_stale_days"("day");

-- Keeping the roll-ups true (lib/insights/rollups.ts rolls days up; these triggers say which
-- days changed). A change to anything a day's figures read marks the day stale: its incidents
-- (their key times, severity, services, privacy and update facts), their published reviews,
-- follow-ups and linked alerts. The next view covering the day rolls it up again.
--
-- No lost mark: a writer marks a day by locking its existing mark FOR KEY SHARE (writers share
-- it), or by adding one when there is none, so a day has about one mark however often it changes.
-- Rolling up (under an advisory lock, so one at a time) first deletes, in a short transaction of
-- its own, the marks of its days that no running writer holds (SKIP LOCKED: it never waits for a
-- writer, and no writer waits for it long) and forgets those days; then, in a second one, rolls up
-- every forgotten day reading the incidents in a later statement. A mark deleted was committed by
-- a writer that had finished, whose change the roll-up therefore reads; a mark held or added by a
-- writer still running stays for the next view. A crash between the two leaves the days
-- forgotten, so the next view rolls them up.
CREATE FUNCTION insight_mark_days(days DATE[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d DATE;
BEGIN
  FOREACH d IN ARRAY ARRAY(SELECT DISTINCT x FROM unnest(days) x WHERE x IS NOT NULL ORDER BY 1) LOOP
    PERFORM 1 FROM insight_stale_days WHERE day = d LIMIT 1 FOR KEY SHARE;
    IF NOT FOUND THEN
      INSERT INTO insight_stale_days (day) VALUES (d);
    END IF;
  END LOOP;
END $$;

CREATE FUNCTION insight_mark_incidents(ids UUID[]) RETURNS void LANGUAGE sql AS $$
  SELECT insight_mark_days(ARRAY(SELECT (declared_at AT TIME ZONE 'UTC')::date FROM incidents WHERE id = ANY(ids)))
$$;

-- Everything rolled up is forgotten (a severity's targets changed, or the incidents were
-- truncated). It waits for a roll-up under way (the same advisory lock, taken before anything
-- else the change does), so none writes rows it read before the change afterwards. The marks
-- stay (deleting them could wait for a writer that waits for this); a forgotten day is rolled up
-- whether marked or not.
CREATE FUNCTION insight_forget_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sitrep insight rollups'));
  DELETE FROM insight_rollup_days;
  DELETE FROM insight_rollups;
  DELETE FROM insight_service_rollups;
  IF TG_LEVEL = 'ROW' THEN
    RETURN NEW;
  END IF;
  RETURN NULL;
END $$;

-- incidents
CREATE FUNCTION insight_incidents_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_mark_days(ARRAY(SELECT DISTINCT (declared_at AT TIME ZONE 'UTC')::date FROM new_rows));
  RETURN NULL;
END $$;
CREATE FUNCTION insight_incidents_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_mark_days(ARRAY(SELECT DISTINCT (declared_at AT TIME ZONE 'UTC')::date FROM old_rows));
  RETURN NULL;
END $$;
CREATE FUNCTION insight_incident_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_mark_days(ARRAY[(OLD.declared_at AT TIME ZONE 'UTC')::date, (NEW.declared_at AT TIME ZONE 'UTC')::date]);
  RETURN NULL;
END $$;
CREATE TRIGGER insight_rollups_insert AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_incidents_inserted();
CREATE TRIGGER insight_rollups_delete AFTER DELETE ON incidents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_incidents_deleted();
-- Only what the figures read: a timeline note (last_seq) or a title edit marks nothing.
CREATE TRIGGER insight_rollups_update AFTER UPDATE ON incidents FOR EACH ROW
  WHEN ((OLD.declared_at, OLD.severity_key, OLD.services, OLD.private, OLD.started_at, OLD.detected_at, OLD.acknowledged_at,
         OLD.mitigated_at, OLD.resolved_at, OLD.paged_at, OLD.updates_posted, OLD.updates_on_time, OLD.last_update_at)
        IS DISTINCT FROM
        (NEW.declared_at, NEW.severity_key, NEW.services, NEW.private, NEW.started_at, NEW.detected_at, NEW.acknowledged_at,
         NEW.mitigated_at, NEW.resolved_at, NEW.paged_at, NEW.updates_posted, NEW.updates_on_time, NEW.last_update_at))
  EXECUTE FUNCTION insight_incident_updated();
CREATE TRIGGER insight_rollups_truncate BEFORE TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION insight_forget_rollups();

-- severities: a response target, update cadence or review rule restates every day. Before the
-- update, so the lock comes before the incidents' update facts are recounted (and their days
-- marked) by insight_facts_cadence.
CREATE TRIGGER insight_rollups_severity BEFORE UPDATE ON severities FOR EACH ROW
  WHEN ((OLD.response_target_minutes, OLD.update_cadence_minutes, OLD.review_required)
        IS DISTINCT FROM (NEW.response_target_minutes, NEW.update_cadence_minutes, NEW.review_required))
  EXECUTE FUNCTION insight_forget_rollups();

-- Rows hanging off an incident: postmortems, action items, alerts. Inserts and deletes are
-- marked per statement (a bulk insert marks each day once), updates per row and only when what
-- the figures read changed.
CREATE FUNCTION insight_children_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_mark_incidents(ARRAY(SELECT DISTINCT incident_id FROM new_rows WHERE incident_id IS NOT NULL));
  RETURN NULL;
END $$;
CREATE FUNCTION insight_children_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_mark_incidents(ARRAY(SELECT DISTINCT incident_id FROM old_rows WHERE incident_id IS NOT NULL));
  RETURN NULL;
END $$;
CREATE FUNCTION insight_child_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_mark_incidents(ARRAY[OLD.incident_id, NEW.incident_id]);
  RETURN NULL;
END $$;

CREATE TRIGGER insight_rollups_insert AFTER INSERT ON postmortems
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_children_inserted();
CREATE TRIGGER insight_rollups_delete AFTER DELETE ON postmortems
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_children_deleted();
CREATE TRIGGER insight_rollups_update AFTER UPDATE ON postmortems FOR EACH ROW
  WHEN ((OLD.incident_id, OLD.status, OLD.published_at) IS DISTINCT FROM (NEW.incident_id, NEW.status, NEW.published_at))
  EXECUTE FUNCTION insight_child_updated();

CREATE TRIGGER insight_rollups_insert AFTER INSERT ON action_items
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_children_inserted();
CREATE TRIGGER insight_rollups_delete AFTER DELETE ON action_items
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_children_deleted();
CREATE TRIGGER insight_rollups_update AFTER UPDATE ON action_items FOR EACH ROW
  WHEN ((OLD.incident_id, OLD.status, OLD.due_date, OLD.created_at) IS DISTINCT FROM (NEW.incident_id, NEW.status, NEW.due_date, NEW.created_at))
  EXECUTE FUNCTION insight_child_updated();

-- Alerts: intake inserts one statement per request, so a row trigger whose condition PostgreSQL
-- checks without calling it costs an alert that links no incident (nearly all of a storm) nothing.
CREATE FUNCTION insight_alert_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM insight_mark_incidents(ARRAY[NEW.incident_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM insight_mark_incidents(ARRAY[OLD.incident_id]);
  ELSE
    PERFORM insight_mark_incidents(ARRAY[OLD.incident_id, NEW.incident_id]);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER insight_rollups_insert AFTER INSERT ON alerts FOR EACH ROW
  WHEN (NEW.incident_id IS NOT NULL) EXECUTE FUNCTION insight_alert_changed();
CREATE TRIGGER insight_rollups_delete AFTER DELETE ON alerts FOR EACH ROW
  WHEN (OLD.incident_id IS NOT NULL) EXECUTE FUNCTION insight_alert_changed();
CREATE TRIGGER insight_rollups_update AFTER UPDATE ON alerts FOR EACH ROW
  WHEN ((OLD.incident_id, OLD.starts_at, OLD.created_at) IS DISTINCT FROM (NEW.incident_id, NEW.starts_at, NEW.created_at)
        AND (OLD.incident_id IS NOT NULL OR NEW.incident_id IS NOT NULL))
  EXECUTE FUNCTION insight_alert_changed();
