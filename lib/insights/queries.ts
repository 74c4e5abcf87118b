// Insights computed in PostgreSQL, in three statements run at once on connections of their own
// (two cores share them): the distributions (every median and 90th percentile, which sort), the
// counted figures, and the noisiest alerts. The first two each read the incidents declared in the
// range once (incidents_declared_at_idx, or incidents_severity_key_declared_at_idx with a
// severity; the GIN index on services with a service) into a materialised CTE and aggregate over
// it and the rows hanging off it (reviews, action items, pages) through their incident_id indexes.
// An incident's status-update facts are columns PostgreSQL keeps on it (migration
// 20261202094135_insight_facts), so no view orders every status update to count them.
// No incident is loaded into the application to count it. The rules are those of definitions.ts,
// which tests/integration/insights.test.ts holds this SQL to.
import 'server-only';
import { LRUCache } from 'lru-cache';
import { Prisma } from '@/lib/generated/prisma/client';
import { db } from '@/lib/platform/db';
import { NOISIEST_ALERTS, REVIEW_DUE_DAYS, WORKING_HOURS, percentileOfCounts, resolveBuckets, type Distribution, type NoisyAlert } from '@/lib/insights/definitions';
import type { InsightsDto, InsightsFilter } from '@/lib/insights/schema';
import { listServices } from '@/lib/incidents/queries';
import { seesEverything, visibleToSql, type Viewer } from '@/lib/incidents/visibility';

/** The incidents the figures are about, as a SQL condition on `incidents i`: only those `viewer` may see, so no count leaks a private incident. */
export function scopeCondition(filter: Pick<InsightsFilter, 'from' | 'to' | 'severity' | 'service'>, viewer: Viewer): Prisma.Sql {
  const parts = [Prisma.sql`i.declared_at >= ${filter.from} AND i.declared_at < ${filter.to}`, visibleToSql(viewer, 'i')];
  if (filter.severity) parts.push(Prisma.sql`i.severity_key = ${filter.severity}`);
  if (filter.service) parts.push(Prisma.sql`i.services @> ARRAY[${filter.service}]::text[]`);
  return Prisma.join(parts, ' AND ');
}

/** Seconds from a to b as definitions.ts's `span`: null when either is missing, never negative. */
// date_part gives double precision (EXTRACT's numeric is several times slower over 100,000 rows);
// floor(x + 0.5) rounds exactly as Math.round does in definitions.ts.
function spanSql(from: Prisma.Sql, to: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${from} IS NULL OR ${to} IS NULL THEN NULL ELSE GREATEST(0, floor(date_part('epoch', ${to} - ${from}) + 0.5)) END`;
}

/** When responding started to be owed (definitions.ts `responseClockStart`). */
// LEAST skips a NULL paged_at: the declaration alone when nobody was paged.
const clockStart = Prisma.sql`LEAST(i.declared_at, i.paged_at)`;

/** definitions.ts `outsideWorkingHours` on a local (time-zone-less) timestamp. */
function outsideWorkingHoursSql(local: Prisma.Sql): Prisma.Sql {
  // dow numbers the days as definitions.ts does: Sunday 0 to Saturday 6.
  return Prisma.sql`(NOT (extract(dow FROM ${local})::int = ANY(${[...WORKING_HOURS.days]}::int[])) OR extract(hour FROM ${local}) < ${WORKING_HOURS.from} OR extract(hour FROM ${local}) >= ${WORKING_HOURS.to})`;
}

/**
 * The alerts received in the range that the noisiest-alerts figure counts, as a SQL condition on
 * `alerts a`: alerts belong to no incident's privacy (everyone sees /alerts), so only the range
 * and the alert's own mapped severity and routed service narrow them (alerts_created_at_id_idx).
 */
function alertScopeCondition(filter: InsightsFilter): Prisma.Sql {
  const parts = [Prisma.sql`a.created_at >= ${filter.from} AND a.created_at < ${filter.to}`];
  if (filter.severity) parts.push(Prisma.sql`a.severity_key = ${filter.severity}`);
  if (filter.service) parts.push(Prisma.sql`a.service = ${filter.service}`);
  return Prisma.join(parts, ' AND ');
}

// definitions.ts alertName: the alertname label, trimmed as String#trim does, else the title.
const alertNameSql = Prisma.sql`coalesce(nullif(btrim(a.labels->>'alertname', ${' \t\n\r\f\v'}), ''), a.title)`;

/** The scope CTE: each incident with the facts and targets the counted figures need. */
function scopeCte(filter: InsightsFilter, viewer: Viewer, now: Date): Prisma.Sql {
  return Prisma.sql`scope AS MATERIALIZED (
    SELECT i.id, i.severity_key, i.services, i.declared_at, (i.declared_at AT TIME ZONE 'UTC')::date AS day, i.resolved_at, i.acknowledged_at,
           i.updates_posted, i.updates_on_time, i.last_update_at,
           ${clockStart} AS clock_start,
           s.response_target_minutes AS target, s.update_cadence_minutes AS cadence, s.review_required,
           ${spanSql(Prisma.sql`i.started_at`, Prisma.sql`i.resolved_at`)} AS ttr,
           floor(${spanSql(Prisma.sql`coalesce(i.started_at, i.declared_at)`, Prisma.sql`coalesce(i.mitigated_at, i.resolved_at, ${now}::timestamptz)`)} / 60 + 0.5) AS impact
      FROM incidents i JOIN severities s ON s.key = i.severity_key
     WHERE ${scopeCondition(filter, viewer)}
  )`;
}

/**
 * The time spans the distributions sort, and each incident's period: nothing else, since every
 * sort carries the whole row it orders.
 */
function spansCte(filter: InsightsFilter, viewer: Viewer): Prisma.Sql {
  const unit = filter.groupBy === 'month' ? 'month' : 'week';
  return Prisma.sql`spans AS MATERIALIZED (
    SELECT date_trunc(${unit}, i.declared_at AT TIME ZONE 'UTC') AS period,
           ${spanSql(Prisma.sql`i.started_at`, Prisma.sql`i.detected_at`)} AS ttd,
           ${spanSql(clockStart, Prisma.sql`i.acknowledged_at`)} AS tta,
           ${spanSql(Prisma.sql`i.started_at`, Prisma.sql`i.mitigated_at`)} AS ttm,
           ${spanSql(Prisma.sql`i.started_at`, Prisma.sql`i.resolved_at`)} AS ttr
      FROM incidents i
     WHERE ${scopeCondition(filter, viewer)}
  )`;
}

const median = (column: string) => Prisma.sql`floor(percentile_cont(0.5) WITHIN GROUP (ORDER BY ${Prisma.raw(column)}) + 0.5)::int`;
const p90 = (column: string) => Prisma.sql`floor(percentile_cont(0.9) WITHIN GROUP (ORDER BY ${Prisma.raw(column)}) + 0.5)::int`;
const dist = (column: string) => Prisma.sql`json_build_object('median', ${median(column)}, 'p90', ${p90(column)})`;

type DistributionsRow = {
  totals: { mttd: Distribution; mtta: Distribution; mttm: Distribution; mttr: Distribution };
  periods: { period: string; incidents: number; mttr: Distribution }[] | null;
};

/** The statement behind the medians and 90th percentiles: the four times, and time to resolve per period. */
function distributionsStatement(filter: InsightsFilter, viewer: Viewer): Prisma.Sql {
  return Prisma.sql`
    WITH ${spansCte(filter, viewer)}
    SELECT
      (SELECT json_build_object('mttd', ${dist('ttd')}, 'mtta', ${dist('tta')}, 'mttm', ${dist('ttm')}, 'mttr', ${dist('ttr')}) FROM spans) AS totals,
      (SELECT json_agg(t) FROM (
         SELECT to_char(period, 'YYYY-MM-DD') AS period, count(*)::int AS incidents, ${dist('ttr')} AS mttr
           FROM (SELECT period, ttr FROM spans) p GROUP BY period) t) AS periods`;
}

type Row = {
  totals: {
    incidents: number;
    response_met: number;
    response_total: number;
  };
  by_severity: { severity: string; target: number; met: number; total: number }[] | null;
  updates: { on_time: number; posted: number; missed_last: number };
  reviews: { published: number; required: number };
  action_items: { open: number; done: number; overdue: number; median_age: number | null };
  by_period_severity: { period: string; severity: string; incidents: number }[] | null;
  services: { service: string; incidents: number; impact: number }[] | null;
  ttr_buckets: { bucket: number; incidents: number }[] | null;
  calendar: { day: string; incidents: number }[] | null;
  pages: { email: string; name: string; pages: number; outside: number }[] | null;
  alerts_per_incident: { with_alerts: number; from_alert: number; counts: { value: number; times: number }[] | null };
};

/** The statement behind every figure but the distributions and the noisiest alerts. */
function figuresStatement(filter: InsightsFilter, viewer: Viewer, now: Date): Prisma.Sql {
  const unit = filter.groupBy === 'month' ? 'month' : 'week';
  const bounds = resolveBuckets.flatMap((b) => (b.upTo === null ? [] : [b.upTo]));
  return Prisma.sql`
    WITH ${scopeCte(filter, viewer, now)},
    -- Every figure that counts or sums the incidents themselves, in one hashed pass over the scope:
    -- a grouping set per key, told apart by GROUPING(), which sets a bit for each key a row is not
    -- grouped on (severity_key 8, services 4, bucket 2, day 1). Totals, severities, periods and
    -- the calendar are summed from the (day, severity) rows below: a few thousand rows, where a
    -- grouping set of their own hashed every incident again (each set costs a pass).
    counted AS (
      SELECT GROUPING(severity_key, services, bucket, day) AS grouping_set,
             severity_key, services, bucket, day,
             count(*)::int AS incidents, min(target) AS target,
             count(*) FILTER (WHERE met)::int AS met, count(*) FILTER (WHERE owed)::int AS owed,
             coalesce(sum(updates_on_time), 0)::int AS on_time, coalesce(sum(updates_posted), 0)::int AS posted,
             count(*) FILTER (WHERE missed_last)::int AS missed_last,
             sum(impact)::int AS impact
        FROM (SELECT severity_key, services, width_bucket(ttr, ${bounds}::float8[]) AS bucket, day, target,
                     acknowledged_at <= clock_start + target * interval '1 minute' AS met,
                     acknowledged_at IS NOT NULL OR ${now}::timestamptz > clock_start + target * interval '1 minute' AS owed,
                     updates_on_time, updates_posted,
                     coalesce(last_update_at, declared_at) + cadence * interval '1 minute' < coalesce(resolved_at, ${now}::timestamptz) AS missed_last,
                     impact
                FROM scope) x
       GROUP BY GROUPING SETS ((day, severity_key), (services), (bucket))
    ),
    days AS (SELECT * FROM counted WHERE grouping_set = 6),
    -- definitions.ts alertsPerIncident / startedFromAlert: the alerts linked to each incident in
    -- scope (alerts_linked_incident_idx, joined by hash), counted, and whether one was firing by
    -- the time it was declared. Incidents without any alert are the 0s (getInsights adds them).
    linked AS (
      SELECT count(*)::int AS alerts, bool_or(LEAST(a.starts_at, a.created_at) <= sc.declared_at) AS from_alert
        FROM alerts a JOIN scope sc ON sc.id = a.incident_id
       GROUP BY sc.id
    )
    SELECT
      (SELECT json_build_object('incidents', coalesce(sum(incidents), 0)::int, 'response_met', coalesce(sum(met), 0)::int, 'response_total', coalesce(sum(owed), 0)::int) FROM days) AS totals,
      (SELECT json_agg(t ORDER BY t.severity) FROM (
         SELECT severity_key AS severity, min(target) AS target, sum(met)::int AS met, sum(owed)::int AS total FROM days GROUP BY severity_key) t) AS by_severity,
      (SELECT json_build_object('on_time', coalesce(sum(on_time), 0)::int, 'posted', coalesce(sum(posted), 0)::int, 'missed_last', coalesce(sum(missed_last), 0)::int) FROM days) AS updates,
      (SELECT json_build_object(
                'published', count(*) FILTER (WHERE p.published_at <= sc.resolved_at + ${REVIEW_DUE_DAYS} * interval '1 day')::int,
                'required', count(*) FILTER (WHERE p.published_at IS NOT NULL OR ${now}::timestamptz > sc.resolved_at + ${REVIEW_DUE_DAYS} * interval '1 day')::int)
         FROM scope sc LEFT JOIN postmortems p ON p.incident_id = sc.id AND p.status = 'published'
        WHERE sc.review_required AND sc.resolved_at IS NOT NULL) AS reviews,
      (SELECT json_build_object(
                'open', count(*) FILTER (WHERE a.status = 'open')::int,
                'done', count(*) FILTER (WHERE a.status = 'done')::int,
                'overdue', count(*) FILTER (WHERE a.status = 'open' AND a.due_date < (${now}::timestamptz AT TIME ZONE 'UTC')::date)::int,
                'median_age', floor(percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN a.status = 'open' THEN GREATEST(0, floor(date_part('epoch', ${now}::timestamptz - a.created_at) + 0.5)) END) + 0.5)::int)
         FROM action_items a JOIN scope sc ON sc.id = a.incident_id) AS action_items,
      (SELECT json_agg(t) FROM (
         SELECT to_char(date_trunc(${unit}, day::timestamp), 'YYYY-MM-DD') AS period, severity_key AS severity, sum(incidents)::int AS incidents
           FROM days GROUP BY 1, 2) t) AS by_period_severity,
      -- Each combination of services (a few dozen) shared out to its services: unnesting every
      -- incident's list costs three times as much.
      (SELECT json_agg(t) FROM (
         SELECT service, sum(incidents)::int AS incidents, sum(impact)::int AS impact
           FROM counted c, unnest(c.services) AS service WHERE c.grouping_set = 11
          GROUP BY service ORDER BY sum(incidents) DESC, sum(impact) DESC, service LIMIT 30) t) AS services,
      (SELECT json_agg(t) FROM (SELECT bucket, incidents FROM counted WHERE grouping_set = 13 AND bucket IS NOT NULL) t) AS ttr_buckets,
      (SELECT json_agg(t ORDER BY t.day) FROM (SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(incidents)::int AS incidents FROM days GROUP BY day) t) AS calendar,
      (SELECT json_build_object(
                'with_alerts', count(*)::int, 'from_alert', count(*) FILTER (WHERE from_alert)::int,
                'counts', (SELECT json_agg(json_build_object('value', alerts, 'times', times)) FROM (SELECT alerts, count(*)::int AS times FROM linked GROUP BY alerts) c))
         FROM linked) AS alerts_per_incident,
      (SELECT json_agg(t ORDER BY t.pages DESC, t.outside DESC, t.name) FROM (
         SELECT u.email, u.name, count(DISTINCT n.page_id)::int AS pages,
                count(DISTINCT n.page_id) FILTER (WHERE ${outsideWorkingHoursSql(Prisma.sql`coalesce(n.completed_at, n.due_at) AT TIME ZONE coalesce(z.time_zone, 'UTC')`)})::int AS outside
           FROM pages p
           JOIN scope sc ON sc.id = p.incident_id
           JOIN page_notifications n ON n.page_id = p.id AND n.status = 'succeeded'
           JOIN users u ON u.id = n.user_id
           -- definitions.ts's time zone: the first schedule (by name) whose layers list the person.
           LEFT JOIN LATERAL (
             SELECT s.time_zone FROM schedules s
              WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(s.layers) l WHERE l->'participants' @> jsonb_build_array(u.email))
              ORDER BY s.name LIMIT 1) z ON TRUE
          GROUP BY u.id, u.email, u.name) t) AS pages`;
}

/**
 * definitions.ts noisiestAlerts. Alerts are first summed per name and incident, so a storm of
 * repeats costs one visibility check per incident, not one per alert; an incident the viewer may
 * not see is not counted. For an admin, who sees every one, nothing is checked (the check was an
 * index lookup per incident: 50,000 over a year of the bench's data). It reads alerts, not the
 * incidents in scope, so it runs beside the figures' statement, on a connection of its own.
 */
function noisiestAlertsStatement(filter: InsightsFilter, viewer: Viewer): Prisma.Sql {
  const incidents = seesEverything(viewer)
    ? Prisma.sql`count(n.incident_id)::int`
    : Prisma.sql`count(n.incident_id) FILTER (WHERE EXISTS (SELECT 1 FROM incidents vi WHERE vi.id = n.incident_id AND ${visibleToSql(viewer, 'vi')}))::int`;
  return Prisma.sql`
    SELECT json_agg(t ORDER BY t.occurrences DESC, t.incidents DESC, t.source COLLATE "C", t.name COLLATE "C") AS noisy_alerts FROM (
      SELECT src.name AS source, n.name, sum(n.occurrences) AS occurrences, sum(n.alerts)::int AS alerts, ${incidents} AS incidents
        FROM (SELECT a.source_id, ${alertNameSql} AS name, a.incident_id, sum(a.count) AS occurrences, count(*) AS alerts
                FROM alerts a WHERE ${alertScopeCondition(filter)}
               GROUP BY 1, 2, 3) n
        JOIN alert_sources src ON src.id = n.source_id
       GROUP BY src.name, n.name
       ORDER BY occurrences DESC, incidents DESC, src.name COLLATE "C", n.name COLLATE "C"
       LIMIT ${NOISIEST_ALERTS}) t`;
}

/** One statement's single row. */
async function insightsQuery<T>(statement: Prisma.Sql): Promise<T> {
  const [row] = await db.$queryRaw<T[]>(statement);
  return row!;
}

/**
 * Every figure of /insights and GET /api/v1/insights for the filters, in three statements run at
 * once on connections of their own, so PostgreSQL spreads them over the cores: the distributions
 * (sorts), the counted figures, and the noisiest alerts.
 */
export async function getInsights(filter: InsightsFilter, viewer: Viewer, now = new Date()): Promise<InsightsDto> {
  const [d, r, noisy] = await Promise.all([
    insightsQuery<DistributionsRow>(distributionsStatement(filter, viewer)),
    insightsQuery<Row>(figuresStatement(filter, viewer, now)),
    insightsQuery<{ noisy_alerts: NoisyAlert[] | null }>(noisiestAlertsStatement(filter, viewer)),
  ]);

  const bySeverity = Object.fromEntries((r.by_severity ?? []).map((s) => [s.severity, { met: s.met, total: s.total, targetMinutes: s.target }]));
  const periods = new Map((d.periods ?? []).map((p) => [p.period, p]));
  const severityCounts = r.by_period_severity ?? [];
  const series = periodsBetween(filter.from, filter.to, filter.groupBy).map((period) => ({
    period,
    incidents: periods.get(period)?.incidents ?? 0,
    mttr: periods.get(period)?.mttr ?? { median: null, p90: null },
    bySeverity: Object.fromEntries(severityCounts.filter((s) => s.period === period).map((s) => [s.severity, s.incidents])),
  }));
  const buckets = new Map((r.ttr_buckets ?? []).map((b) => [b.bucket, b.incidents]));
  // Alerts per incident: the incidents in scope without any alert are the 0s.
  const alertCounts = [...(r.alerts_per_incident.counts ?? []), { value: 0, times: r.totals.incidents - r.alerts_per_incident.with_alerts }];
  return {
    from: filter.from.toISOString(),
    to: filter.to.toISOString(),
    groupBy: filter.groupBy,
    filters: { severity: filter.severity, service: filter.service },
    totals: {
      incidents: r.totals.incidents,
      mttd: d.totals.mttd,
      mtta: d.totals.mtta,
      mttm: d.totals.mttm,
      mttr: d.totals.mttr,
      responseTargetMet: { met: r.totals.response_met, total: r.totals.response_total, bySeverity },
      updatesOnTime: { onTime: r.updates.on_time, total: r.updates.posted + r.updates.missed_last },
      reviewsPublished: { published: r.reviews.published, required: r.reviews.required, withinDays: REVIEW_DUE_DAYS },
      actionItems: { open: r.action_items.open, done: r.action_items.done, overdue: r.action_items.overdue, medianOpenAgeSeconds: r.action_items.median_age },
      alertsPerIncident: {
        median: percentileOfCounts(alertCounts, 0.5),
        p90: percentileOfCounts(alertCounts, 0.9),
        incidents: r.totals.incidents,
        withAlerts: r.alerts_per_incident.with_alerts,
        startedFromAlert: r.alerts_per_incident.from_alert,
      },
    },
    series,
    services: (r.services ?? []).map((s) => ({ service: s.service, incidents: s.incidents, impactMinutes: s.impact })),
    timeToResolve: resolveBuckets.map((b, i) => ({ bucket: b.label, incidents: buckets.get(i) ?? 0 })),
    calendar: r.calendar ?? [],
    pages: (r.pages ?? []).map((p) => ({ person: { email: p.email, name: p.name }, pages: p.pages, outsideWorkingHours: p.outside })),
    // sum() of counts is a bigint; json carries it as a number.
    noisiestAlerts: (noisy.noisy_alerts ?? []).map((a) => ({ source: a.source, name: a.name, occurrences: Number(a.occurrences), alerts: a.alerts, incidents: a.incidents })),
  };
}

/** Every period (YYYY-MM-DD of its first day, UTC) that overlaps [from, to), so charts show empty ones too. */
export function periodsBetween(from: Date, to: Date, groupBy: 'week' | 'month'): string[] {
  const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), groupBy === 'month' ? 1 : from.getUTCDate()));
  if (groupBy === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const periods: string[] = [];
  for (const cursor = start; cursor < to; groupBy === 'week' ? cursor.setUTCDate(cursor.getUTCDate() + 7) : cursor.setUTCMonth(cursor.getUTCMonth() + 1)) {
    periods.push(cursor.toISOString().slice(0, 10));
  }
  return periods;
}

/**
 * The service filter's choices: every service of an incident `viewer` may see (service_counts,
 * as on /incidents), the chosen one always included. A service without incidents in the range
 * shows zeros when chosen; reading which ones had some would scan the range (138 ms over three
 * years at 100,000 incidents) on every view, the per-minute cache's too.
 */
export async function listServiceChoices(filter: Pick<InsightsFilter, 'service'>, viewer: Viewer): Promise<string[]> {
  const services = await listServices(viewer);
  return filter.service && !services.includes(filter.service) ? [filter.service, ...services].sort() : services;
}

// Figures over weeks and months need not be fresher than a minute: each view (filters, and who
// may see which private incidents) is computed once a minute at most, so a team opening
// /insights together costs one statement. Callers pass `now` floored to the minute (minuteOf).
const cache = new LRUCache<string, Promise<InsightsDto>>({ max: 200, ttl: 60_000 });

/** `at` floored to the minute: the "now" of a cached view. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

/**
 * Where a view's range ends: the end of the minute `minute` starts, so an incident declared or
 * an alert received this minute is counted (ending at the minute's start left them out until
 * the next one); the per-minute cache keeps the view until then.
 */
export function endOfMinute(minute: Date): Date {
  return new Date(minute.getTime() + 60_000);
}

export function cachedInsights(filter: InsightsFilter, viewer: Viewer, now: Date): Promise<InsightsDto> {
  const who = viewer === 'installation' || viewer.role === 'admin' ? 'everyone' : viewer.id;
  const key = [who, filter.from.toISOString(), filter.to.toISOString(), filter.severity, filter.service, filter.groupBy, now.toISOString()].join('|');
  let answer = cache.get(key);
  if (!answer) {
    answer = getInsights(filter, viewer, now);
    cache.set(key, answer);
    answer.catch(() => cache.delete(key));
  }
  return answer;
}
