-- CreateTable
CREATE TABLE "service_counts" (
    "service" TEXT NOT NULL,
    "incidents" INTEGER NOT NULL DEFAULT 0,
    "public_incidents" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "service_counts_pkey" PRIMARY KEY ("service")
);

-- CreateIndex
CREATE INDEX "incidents_private_idx" ON "incidents"("private");

-- The incident list's service filter offered `SELECT DISTINCT unnest(services) FROM incidents`,
-- which reads every incident: 130–200 ms at 100,000 incidents, on every load of /incidents.
-- service_counts keeps, per service, how many incidents name it and how many of those are
-- public, so the choices are one index read. PostgreSQL keeps it, not the app: every way an
-- incident is written (Prisma, raw SQL, the bench's bulk seed, a psql session) moves the counts
-- in the same transaction. Rows are locked in service order, so two transactions declaring on the
-- same services queue instead of deadlocking; an update that changes neither the services nor
-- privacy fires nothing (the row trigger's WHEN).

CREATE FUNCTION service_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO service_counts AS c (service, incidents, public_incidents)
  SELECT s, count(*), count(*) FILTER (WHERE NOT n.private)
  FROM new_rows n, LATERAL (SELECT DISTINCT unnest(n.services)) AS named(s)
  GROUP BY s ORDER BY s
  ON CONFLICT (service) DO UPDATE
    SET incidents = c.incidents + EXCLUDED.incidents,
        public_incidents = c.public_incidents + EXCLUDED.public_incidents;
  RETURN NULL;
END $$;

CREATE FUNCTION service_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO service_counts AS c (service, incidents, public_incidents)
  SELECT s, -count(*), -count(*) FILTER (WHERE NOT o.private)
  FROM old_rows o, LATERAL (SELECT DISTINCT unnest(o.services)) AS named(s)
  GROUP BY s ORDER BY s
  ON CONFLICT (service) DO UPDATE
    SET incidents = c.incidents + EXCLUDED.incidents,
        public_incidents = c.public_incidents + EXCLUDED.public_incidents;
  RETURN NULL;
END $$;

-- One row at a time: an incident's services or privacy change one incident per statement, and the
-- WHEN clause keeps every other update (status, title, the clock) from calling it at all.
CREATE FUNCTION service_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO service_counts AS c (service, incidents, public_incidents)
  SELECT s, sum(d), sum(p)
  FROM (
    SELECT s, -1 AS d, CASE WHEN OLD.private THEN 0 ELSE -1 END AS p FROM (SELECT DISTINCT unnest(OLD.services)) AS named(s)
    UNION ALL
    SELECT s, 1, CASE WHEN NEW.private THEN 0 ELSE 1 END FROM (SELECT DISTINCT unnest(NEW.services)) AS named(s)
  ) changes
  GROUP BY s HAVING sum(d) <> 0 OR sum(p) <> 0 ORDER BY s
  ON CONFLICT (service) DO UPDATE
    SET incidents = c.incidents + EXCLUDED.incidents,
        public_incidents = c.public_incidents + EXCLUDED.public_incidents;
  RETURN NULL;
END $$;

CREATE FUNCTION service_counts_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM service_counts;
  RETURN NULL;
END $$;

CREATE TRIGGER service_counts_insert AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION service_counts_after_insert();
CREATE TRIGGER service_counts_delete AFTER DELETE ON incidents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION service_counts_after_delete();
CREATE TRIGGER service_counts_update AFTER UPDATE ON incidents FOR EACH ROW
  WHEN (OLD.services IS DISTINCT FROM NEW.services OR OLD.private IS DISTINCT FROM NEW.private)
  EXECUTE FUNCTION service_counts_after_update();
CREATE TRIGGER service_counts_truncate AFTER TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION service_counts_after_truncate();

INSERT INTO service_counts (service, incidents, public_incidents)
SELECT s, count(*), count(*) FILTER (WHERE NOT i.private)
FROM incidents i, LATERAL (SELECT DISTINCT unnest(i.services)) AS named(s)
GROUP BY s;
