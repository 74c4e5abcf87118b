// /insights' DAILY ROLL-UPS. A year of a busy installation is 100,000 incidents; counting each of
// them again on every view cost about 600 ms of PostgreSQL time, twice the page's goal. So each
// past day's public incidents are rolled up once, per severity (insight_rollups) and per severity
// and service (insight_service_rollups), and a view sums a few thousand rows instead:
//
// - what moves with the clock is kept as the moments it turns (the response deadline of an
//   incident nobody acknowledged, when an open incident's next update falls overdue, where an
//   unmitigated incident's impact started…), and the view compares them with its own "now";
// - medians and 90th percentiles stay exact: the spans are kept, one sorted array per row, and
//   the view finds each percentile among all of them (percentiles.ts, or percentile_cont over
//   long ranges), the same answer as over the incidents themselves;
// - private incidents are never rolled up (who may see them depends on the viewer): a view counts
//   the ones its viewer may see live, with the range's partial first and last days, today and a
//   service filter (which narrows a view to a tenth of the incidents);
// - days change: the triggers of migration 20261204172247_insight_rollups mark a day stale when
//   anything its figures read changes (that migration says why no mark is lost), and forget every
//   day when a severity's targets change. `ensureRollups` rolls up a view's stale and missing days
//   before the view reads them.
//
// `rollupRows` is the one definition of a roll-up row: the roll-up stores it, and a view computes
// the same rows live for what it does not read from the roll-up, so both count alike.
// tests/integration/insight-rollups.test.ts holds the rolled-up figures to the live ones.
import 'server-only';
import { Prisma } from '@/lib/generated/prisma/client';
import { db } from '@/lib/platform/db';
import { REVIEW_DUE_DAYS, resolveBuckets } from '@/lib/insights/definitions';

const DAY = 86_400_000;

/** Seconds from a to b as definitions.ts's `span`: null when either is missing, never negative. */
// date_part gives double precision (EXTRACT's numeric is several times slower over 100,000 rows);
// floor(x + 0.5) rounds exactly as Math.round does in definitions.ts.
export function spanSql(from: Prisma.Sql, to: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${from} IS NULL OR ${to} IS NULL THEN NULL ELSE GREATEST(0, floor(date_part('epoch', ${to} - ${from}) + 0.5)) END`;
}

/** definitions.ts impactMinutes for an impact that ended at `to`. */
export function impactMinutesSql(from: Prisma.Sql, to: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`floor(${spanSql(from, to)} / 60 + 0.5)`;
}

/** The columns of a roll-up row, in insight_rollups' order after its id. */
export const rollupColumns = Prisma.raw(
  [
    'day', 'severity_key', 'incidents', 'response_met', 'acknowledged', 'unacknowledged_deadlines',
    'updates_on_time', 'updates_posted', 'updates_missed_last', 'open_update_deadlines', 'ttr_buckets',
    'ttd', 'tta', 'ttm', 'ttr', 'reviews_on_time', 'reviews_published', 'reviews_due',
    'items_open', 'items_done', 'items_open_due', 'items_open_created', 'with_alerts', 'from_alert', 'alert_counts',
  ].join(', '),
);
export const serviceRollupColumns = Prisma.raw('day, severity_key, service, incidents, impact_minutes, open_impact_from');

/**
 * The CTE `incident_facts`: each incident the roll-up rows count, with its facts; `where` picks
 * them from `incidents i`. `rollupRows` and `serviceRollupRows` read it, so a statement that
 * needs both computes it once.
 */
export function incidentFactsCte(where: Prisma.Sql): Prisma.Sql {
  const bounds = resolveBuckets.flatMap((b) => (b.upTo === null ? [] : [b.upTo]));
  const clockStart = Prisma.sql`LEAST(i.declared_at, i.paged_at)`;
  return Prisma.sql`incident_facts AS MATERIALIZED (
    SELECT i.id, (i.declared_at AT TIME ZONE 'UTC')::date AS day, i.severity_key, i.services, i.declared_at, i.acknowledged_at, i.resolved_at,
           ${clockStart} + s.response_target_minutes * interval '1 minute' AS response_deadline,
           coalesce(i.last_update_at, i.declared_at) + s.update_cadence_minutes * interval '1 minute' AS update_deadline,
           i.updates_posted, i.updates_on_time,
           coalesce(i.started_at, i.declared_at) AS impact_from,
           ${impactMinutesSql(Prisma.sql`coalesce(i.started_at, i.declared_at)`, Prisma.sql`coalesce(i.mitigated_at, i.resolved_at)`)} AS impact,
           ${spanSql(Prisma.sql`i.started_at`, Prisma.sql`i.detected_at`)}::int AS ttd,
           ${spanSql(clockStart, Prisma.sql`i.acknowledged_at`)}::int AS tta,
           ${spanSql(Prisma.sql`i.started_at`, Prisma.sql`i.mitigated_at`)}::int AS ttm,
           ${spanSql(Prisma.sql`i.started_at`, Prisma.sql`i.resolved_at`)}::int AS ttr,
           width_bucket(${spanSql(Prisma.sql`i.started_at`, Prisma.sql`i.resolved_at`)}, ${bounds}::float8[]) AS ttr_bucket,
           s.review_required AND i.resolved_at IS NOT NULL AS review_owed,
           p.published_at
      FROM incidents i
      JOIN severities s ON s.key = i.severity_key
      LEFT JOIN postmortems p ON p.incident_id = i.id AND p.status = 'published'
     WHERE ${where}
  )`;
}

/** An array of what `value` gives for the rows `filter` holds: empty, not NULL, when none. */
const arrayOf = (value: string, filter: string, type: string) =>
  Prisma.raw(`coalesce(array_agg(${value}) FILTER (WHERE ${filter}), '{}'::${type}[])`);

/** A subquery of roll-up rows (rollupColumns) for the incidents of `incident_facts`. */
export function rollupRows(): Prisma.Sql {
  const buckets = Prisma.raw(`ARRAY[${resolveBuckets.map((_, i) => `count(*) FILTER (WHERE ttr_bucket = ${i})`).join(', ')}]::int[]`);
  return Prisma.sql`(
    WITH x AS (SELECT * FROM incident_facts),
    main AS (
      SELECT day, severity_key, count(*)::int AS incidents,
             count(*) FILTER (WHERE acknowledged_at <= response_deadline)::int AS response_met,
             count(*) FILTER (WHERE acknowledged_at IS NOT NULL)::int AS acknowledged,
             ${arrayOf('response_deadline', 'acknowledged_at IS NULL', 'timestamptz')} AS unacknowledged_deadlines,
             sum(updates_on_time)::int AS updates_on_time, sum(updates_posted)::int AS updates_posted,
             count(*) FILTER (WHERE resolved_at IS NOT NULL AND update_deadline < resolved_at)::int AS updates_missed_last,
             ${arrayOf('update_deadline', 'resolved_at IS NULL', 'timestamptz')} AS open_update_deadlines,
             ${buckets} AS ttr_buckets,
             -- Sorted: percentiles.ts finds a position in them by binary search.
             ${arrayOf('ttd ORDER BY ttd', 'ttd IS NOT NULL', 'int')} AS ttd,
             ${arrayOf('tta ORDER BY tta', 'tta IS NOT NULL', 'int')} AS tta,
             ${arrayOf('ttm ORDER BY ttm', 'ttm IS NOT NULL', 'int')} AS ttm,
             ${arrayOf('ttr ORDER BY ttr', 'ttr IS NOT NULL', 'int')} AS ttr,
             count(*) FILTER (WHERE review_owed AND published_at <= resolved_at + ${REVIEW_DUE_DAYS} * interval '1 day')::int AS reviews_on_time,
             count(*) FILTER (WHERE review_owed AND published_at IS NOT NULL)::int AS reviews_published,
             ${arrayOf(`resolved_at + ${REVIEW_DUE_DAYS} * interval '1 day'`, 'review_owed AND published_at IS NULL', 'timestamptz')} AS reviews_due
        FROM x GROUP BY day, severity_key
    ),
    items AS (
      SELECT x.day, x.severity_key,
             count(*) FILTER (WHERE a.status = 'open')::int AS items_open,
             count(*) FILTER (WHERE a.status = 'done')::int AS items_done,
             ${arrayOf('a.due_date', "a.status = 'open' AND a.due_date IS NOT NULL", 'date')} AS items_open_due,
             ${arrayOf('a.created_at', "a.status = 'open'", 'timestamptz')} AS items_open_created
        FROM action_items a JOIN x ON x.id = a.incident_id
       GROUP BY x.day, x.severity_key
    ),
    linked AS (
      SELECT day, severity_key, count(*)::int AS with_alerts, count(*) FILTER (WHERE from_alert)::int AS from_alert, array_agg(alerts) AS alert_counts
        FROM (SELECT x.day, x.severity_key, count(*)::int AS alerts, bool_or(LEAST(a.starts_at, a.created_at) <= x.declared_at) AS from_alert
                FROM alerts a JOIN x ON x.id = a.incident_id
               GROUP BY x.id, x.day, x.severity_key) per_incident
       GROUP BY day, severity_key
    )
    SELECT m.day, m.severity_key, m.incidents, m.response_met, m.acknowledged, m.unacknowledged_deadlines,
           m.updates_on_time, m.updates_posted, m.updates_missed_last, m.open_update_deadlines, m.ttr_buckets,
           m.ttd, m.tta, m.ttm, m.ttr, m.reviews_on_time, m.reviews_published, m.reviews_due,
           coalesce(it.items_open, 0) AS items_open, coalesce(it.items_done, 0) AS items_done,
           coalesce(it.items_open_due, '{}'::date[]) AS items_open_due, coalesce(it.items_open_created, '{}'::timestamptz[]) AS items_open_created,
           coalesce(l.with_alerts, 0) AS with_alerts, coalesce(l.from_alert, 0) AS from_alert, coalesce(l.alert_counts, '{}'::int[]) AS alert_counts
      FROM main m
      LEFT JOIN items it ON it.day = m.day AND it.severity_key = m.severity_key
      LEFT JOIN linked l ON l.day = m.day AND l.severity_key = m.severity_key
  )`;
}

/** A subquery of service roll-up rows (serviceRollupColumns) for the incidents of `incident_facts`. */
export function serviceRollupRows(): Prisma.Sql {
  return Prisma.sql`(
    SELECT x.day, x.severity_key, service, count(*)::int AS incidents,
           coalesce(sum(x.impact), 0)::int AS impact_minutes,
           ${arrayOf('x.impact_from', 'x.impact IS NULL', 'timestamptz')} AS open_impact_from
      FROM incident_facts x, unnest(x.services) AS service
     GROUP BY x.day, x.severity_key, service
  )`;
}

/** The whole UTC days a view may read from the roll-up: from the first midnight at or after `from` to the last one at or before both `to` and `now` (today is never rolled up). */
export function rolledDays(from: Date, to: Date, now: Date): { first: Date; end: Date } | null {
  const first = new Date(Math.ceil(from.getTime() / DAY) * DAY);
  const end = new Date(Math.floor(Math.min(to.getTime(), now.getTime()) / DAY) * DAY);
  return first < end ? { first, end } : null;
}

/** Consecutive days (YYYY-MM-DD, ascending) as [start, end) moments of UTC midnights. */
export function runsOf(days: readonly string[]): [Date, Date][] {
  const runs: [Date, Date][] = [];
  for (const day of days) {
    const start = new Date(`${day}T00:00:00Z`);
    const last = runs[runs.length - 1];
    if (last && last[1].getTime() === start.getTime()) last[1] = new Date(start.getTime() + DAY);
    else runs.push([start, new Date(start.getTime() + DAY)]);
  }
  return runs;
}

const LOCK = Prisma.sql`SELECT pg_advisory_xact_lock(hashtext('sitrep insight rollups'))::text`;
/** A UTC midnight as the day it starts, YYYY-MM-DD (a Date cast to date in SQL would take the session's time zone). */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Rolls up every day in [first, end) that is missing or marked stale, so a view can read them.
 * Costs two index lookups when there is nothing to do; the first view of a range rolls it up
 * (about as long as counting it live once).
 */
export async function ensureRollups(first: Date, end: Date): Promise<void> {
  const [a, b] = [isoDay(first), isoDay(end)];
  const days = Math.round((end.getTime() - first.getTime()) / DAY);
  const [state] = await db.$queryRaw<{ have: number; stale: boolean }[]>`
    SELECT (SELECT count(*) FROM insight_rollup_days WHERE day >= ${a}::date AND day < ${b}::date)::int AS have,
           EXISTS (SELECT 1 FROM insight_stale_days WHERE day >= ${a}::date AND day < ${b}::date) AS stale`;
  if (state!.have === days && !state!.stale) return;

  // Forget the stale days whose marks no running writer holds (migration 20261204172247 says why
  // this loses no change).
  if (state!.stale) {
    await db.$transaction([
      db.$queryRaw(LOCK),
      db.$executeRaw`
        WITH marks AS (
          DELETE FROM insight_stale_days WHERE id IN (
            SELECT id FROM insight_stale_days WHERE day >= ${a}::date AND day < ${b}::date FOR UPDATE SKIP LOCKED)
          RETURNING day)
        DELETE FROM insight_rollup_days WHERE day IN (SELECT day FROM marks)`,
    ]);
  }

  await db.$transaction(async (tx) => {
    await tx.$queryRaw(LOCK);
    const missing = (
      await tx.$queryRaw<{ day: string }[]>`
        SELECT to_char(d, 'YYYY-MM-DD') AS day FROM generate_series(${a}::date, ${b}::date - 1, interval '1 day') d
         WHERE NOT EXISTS (SELECT 1 FROM insight_rollup_days r WHERE r.day = d::date)`
    ).map((r) => r.day);
    if (!missing.length) return;
    // One range of declarations per run of consecutive missing days, as constants, so PostgreSQL
    // knows how few incidents one stale day holds and looks its reviews, follow-ups and alerts
    // up by index (from an array of days it guessed a tenth of the table and scanned them all).
    const ranges = runsOf(missing).map(([from, to]) => Prisma.sql`(i.declared_at >= ${from} AND i.declared_at < ${to})`);
    const where = Prisma.sql`NOT i.private AND (${Prisma.join(ranges, ' OR ')})`;
    await tx.$executeRaw`DELETE FROM insight_rollups WHERE day = ANY(${missing}::date[])`;
    await tx.$executeRaw`DELETE FROM insight_service_rollups WHERE day = ANY(${missing}::date[])`;
    await tx.$executeRaw`
      WITH ${incidentFactsCte(where)},
      per_severity AS (INSERT INTO insight_rollups (${rollupColumns}) SELECT * FROM ${rollupRows()} r)
      INSERT INTO insight_service_rollups (${serviceRollupColumns}) SELECT * FROM ${serviceRollupRows()} r`;
    await tx.$executeRaw`INSERT INTO insight_rollup_days (day) SELECT unnest(${missing}::date[])`;
  }, { timeout: 60_000 });
}
