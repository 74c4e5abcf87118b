// Insights computed in PostgreSQL, in three statements run at once on connections of their own
// (two cores share them): the distributions (every median and 90th percentile, which sort), the
// counted figures, and the noisiest alerts. The first two read roll-up rows (rollups.ts): those
// stored for the range's whole past days, and the same rows computed live for what the roll-up
// does not hold (the partial days at the ends of the range, today, the private incidents the
// viewer may see; everything, with a service filter). Pages and the noisiest alerts are counted
// live from their own tables. An incident's status-update facts are columns PostgreSQL keeps on
// it (migration 20261202094135_insight_facts), so no view orders every status update to count
// them. No incident is loaded into the application to count it. The rules are those of
// definitions.ts, which tests/integration/insights.test.ts holds this SQL to, and
// tests/integration/insight-rollups.test.ts holds the roll-ups to the live count.
import 'server-only';
import { LRUCache } from 'lru-cache';
import { Prisma } from '@/lib/generated/prisma/client';
import { db } from '@/lib/platform/db';
import { NOISIEST_ALERTS, REVIEW_DUE_DAYS, WORKING_HOURS, percentileOfCounts, resolveBuckets, type Distribution, type NoisyAlert } from '@/lib/insights/definitions';
import type { InsightsDto, InsightsFilter } from '@/lib/insights/schema';
import { listServices } from '@/lib/incidents/queries';
import { seesEverything, visibleToSql, type Viewer } from '@/lib/incidents/visibility';
import { percentilesCtes } from '@/lib/insights/percentiles';
import { ensureRollups, incidentFactsCte, isoDay, rollupColumns, rollupRows, rolledDays, serviceRollupColumns, serviceRollupRows } from '@/lib/insights/rollups';

/** The incidents the figures are about, as a SQL condition on `incidents i`: only those `viewer` may see, so no count leaks a private incident. */
export function scopeCondition(filter: Pick<InsightsFilter, 'from' | 'to' | 'severity' | 'service'>, viewer: Viewer): Prisma.Sql {
  const parts = [Prisma.sql`i.declared_at >= ${filter.from} AND i.declared_at < ${filter.to}`, visibleToSql(viewer, 'i')];
  if (filter.severity) parts.push(Prisma.sql`i.severity_key = ${filter.severity}`);
  if (filter.service) parts.push(Prisma.sql`i.services @> ARRAY[${filter.service}]::text[]`);
  return Prisma.join(parts, ' AND ');
}

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

/** Which whole days of a view come from the roll-up (none with a service filter: rollups.ts). */
type View = { filter: InsightsFilter; viewer: Viewer; now: Date; rolled: { first: Date; end: Date } | null };

function viewOf(filter: InsightsFilter, viewer: Viewer, now: Date, rollups: boolean): View {
  return { filter, viewer, now, rolled: rollups && !filter.service ? rolledDays(filter.from, filter.to, now) : null };
}

/**
 * The incidents of a view counted live, as a condition on `incidents i`: all of them without a
 * roll-up; with one, those of the partial days at either end of the range and the private ones
 * the viewer may see (the roll-up holds only public incidents). Written as ranges of
 * declarations so PostgreSQL reads the ends through incidents_declared_at_idx, not the year.
 */
function liveCondition({ filter, viewer, rolled }: View): Prisma.Sql {
  if (!rolled) return scopeCondition(filter, viewer);
  const narrow = [visibleToSql(viewer, 'i'), ...(filter.severity ? [Prisma.sql`i.severity_key = ${filter.severity}`] : [])];
  return Prisma.sql`${Prisma.join(narrow, ' AND ')} AND (
    (i.declared_at >= ${filter.from} AND i.declared_at < ${rolled.first})
    OR (i.declared_at >= ${rolled.end} AND i.declared_at < ${filter.to})
    OR (i.private AND i.declared_at >= ${rolled.first} AND i.declared_at < ${rolled.end}))`;
}

/** The rolled-up days' stored rows of one roll-up table, ending in UNION ALL so the live rows follow; nothing without a roll-up. */
function storedRows({ filter, rolled }: View, table: 'insight_rollups' | 'insight_service_rollups', columns: Prisma.Sql): Prisma.Sql {
  if (!rolled) return Prisma.empty;
  const severity = filter.severity ? Prisma.sql`AND severity_key = ${filter.severity}` : Prisma.empty;
  return Prisma.sql`SELECT ${columns} FROM ${Prisma.raw(table)}
    WHERE day >= ${isoDay(rolled.first)}::date AND day < ${isoDay(rolled.end)}::date ${severity} UNION ALL `;
}

/** The view's roll-up rows (rollups.ts rollupColumns): the rolled-up days' and, from `incident_facts` (liveCondition), the live ones'. */
function dayRowsCte(view: View): Prisma.Sql {
  return Prisma.sql`day_rows AS MATERIALIZED (${storedRows(view, 'insight_rollups', rollupColumns)}SELECT * FROM ${rollupRows()} l)`;
}

/** The same per service (rollups.ts serviceRollupColumns). */
function serviceRowsCte(view: View): Prisma.Sql {
  return Prisma.sql`service_rows AS (${storedRows(view, 'insight_service_rollups', serviceRollupColumns)}SELECT * FROM ${serviceRollupRows()} l)`;
}

/** How many of a column's moments (an array per row) have passed by `now`. */
function passed(column: string, now: Date): Prisma.Sql {
  const c = Prisma.raw(column);
  return Prisma.sql`(SELECT count(*) FROM (SELECT ${c} FROM day_rows WHERE cardinality(${c}) > 0) r, unnest(r.${c}) AS at WHERE at < ${now}::timestamptz)::int`;
}

type DistributionsRow = {
  totals: { mttd: Distribution; mtta: Distribution; mttm: Distribution; mttr: Distribution };
  periods: { period: string; incidents: number; mttr: Distribution }[] | null;
};

const sortedMedian = (column: string) => Prisma.sql`floor(percentile_cont(0.5) WITHIN GROUP (ORDER BY ${Prisma.raw(column)}) + 0.5)::int`;
const sortedP90 = (column: string) => Prisma.sql`floor(percentile_cont(0.9) WITHIN GROUP (ORDER BY ${Prisma.raw(column)}) + 0.5)::int`;
const sortedDistribution = (column: string) => Prisma.sql`json_build_object('median', ${sortedMedian(column)}, 'p90', ${sortedP90(column)})`;

/**
 * Up to this many days in a range, the medians and 90th percentiles are counted out of the rows'
 * sorted span arrays (percentiles.ts); beyond, every span is sorted. Counting costs a histogram
 * per figure over the rows (four per day) and sorting a pass over the spans: on 100,000 incidents
 * counting took half the time over a year (82 against 163 ms of PostgreSQL CPU) and more over
 * three years (195 against 140), where the rows are three times as many.
 */
export const COUNTED_PERCENTILES_MAX_DAYS = 550;

/** The statement behind the medians and 90th percentiles: the four times, and time to resolve per period. */
function distributionsStatement(view: View): Prisma.Sql {
  const unit = view.filter.groupBy === 'month' ? 'month' : 'week';
  const periodOf = Prisma.sql`date_trunc(${unit}, day::timestamp)`;
  const head = Prisma.sql`
    WITH ${incidentFactsCte(liveCondition(view))}, ${dayRowsCte(view)},
    periods AS (SELECT ${periodOf} AS period, sum(incidents)::int AS incidents FROM day_rows GROUP BY 1)`;
  const periodsJson = (join: Prisma.Sql) => Prisma.sql`
    (SELECT json_agg(json_build_object('period', to_char(p.period, 'YYYY-MM-DD'), 'incidents', p.incidents,
                                       'mttr', coalesce(t.mttr, json_build_object('median', NULL, 'p90', NULL))))
       FROM periods p LEFT JOIN ${join} t ON t.period = p.period) AS periods`;
  const days = (view.filter.to.getTime() - view.filter.from.getTime()) / 86_400_000;
  if (days > COUNTED_PERCENTILES_MAX_DAYS) {
    const spread = (column: string) => Prisma.sql`(SELECT ${sortedDistribution('v')} FROM day_rows r, unnest(r.${Prisma.raw(column)}) AS v)`;
    return Prisma.sql`${head}
      SELECT json_build_object('mttd', ${spread('ttd')}, 'mtta', ${spread('tta')}, 'mttm', ${spread('ttm')}, 'mttr', ${spread('ttr')}) AS totals,
             ${periodsJson(Prisma.sql`(SELECT ${periodOf} AS period, ${sortedDistribution('v')} AS mttr FROM day_rows, unnest(ttr) AS v GROUP BY 1)`)}`;
  }
  const all = Prisma.sql`0`;
  const figure = (name: string) =>
    Prisma.sql`coalesce((SELECT json_build_object('median', median, 'p90', p90) FROM ${Prisma.raw(name)}), json_build_object('median', NULL, 'p90', NULL))`;
  return Prisma.sql`${head},
    ${percentilesCtes('ttd_all', 'day_rows', 'ttd', all)},
    ${percentilesCtes('tta_all', 'day_rows', 'tta', all)},
    ${percentilesCtes('ttm_all', 'day_rows', 'ttm', all)},
    ${percentilesCtes('ttr_all', 'day_rows', 'ttr', all)},
    ${percentilesCtes('ttr_period', 'day_rows', 'ttr', periodOf)}
    SELECT json_build_object('mttd', ${figure('ttd_all')}, 'mtta', ${figure('tta_all')}, 'mttm', ${figure('ttm_all')}, 'mttr', ${figure('ttr_all')}) AS totals,
           ${periodsJson(Prisma.sql`(SELECT g AS period, json_build_object('median', median, 'p90', p90) AS mttr FROM ttr_period)`)}`;
}

type Row = {
  by_severity: { severity: string; target: number; incidents: number; met: number; total: number }[] | null;
  updates: { on_time: number; posted: number; missed_last: number };
  reviews: { published: number; required: number };
  action_items: { open: number; done: number; overdue: number; median_age: number | null };
  by_period_severity: { period: string; severity: string; incidents: number }[] | null;
  services: { service: string; incidents: number; impact: number }[] | null;
  ttr_buckets: number[] | null;
  calendar: { day: string; incidents: number }[] | null;
  pages: { email: string; name: string; pages: number; outside: number }[] | null;
  alerts_per_incident: { with_alerts: number; from_alert: number; counts: { value: number; times: number }[] | null };
};

/** The statement behind every figure but the distributions and the noisiest alerts. */
function figuresStatement(view: View): Prisma.Sql {
  const { filter, viewer, now } = view;
  const unit = filter.groupBy === 'month' ? 'month' : 'week';
  const minutesSince = (at: string) => Prisma.sql`floor(GREATEST(0, floor(date_part('epoch', ${now}::timestamptz - ${Prisma.raw(at)}) + 0.5)) / 60 + 0.5)`;
  return Prisma.sql`
    WITH ${incidentFactsCte(liveCondition(view))}, ${dayRowsCte(view)}, ${serviceRowsCte(view)},
    -- Response targets owed: acknowledged, or past the deadline unacknowledged.
    late AS (
      SELECT r.severity_key, count(*)::int AS late
        FROM (SELECT severity_key, unacknowledged_deadlines FROM day_rows WHERE cardinality(unacknowledged_deadlines) > 0) r,
             unnest(r.unacknowledged_deadlines) AS deadline
       WHERE deadline < ${now}::timestamptz GROUP BY r.severity_key
    ),
    severities_seen AS (
      SELECT d.severity_key, sum(d.incidents)::int AS incidents, sum(d.response_met)::int AS met,
             (sum(d.acknowledged) + coalesce(min(l.late), 0))::int AS owed
        FROM day_rows d LEFT JOIN late l ON l.severity_key = d.severity_key
       GROUP BY d.severity_key
    )
    SELECT
      (SELECT json_agg(t ORDER BY t.severity) FROM (
         SELECT v.severity_key AS severity, s.response_target_minutes AS target, v.incidents, v.met, v.owed AS total
           FROM severities_seen v JOIN severities s ON s.key = v.severity_key) t) AS by_severity,
      (SELECT json_build_object('on_time', coalesce(sum(updates_on_time), 0)::int, 'posted', coalesce(sum(updates_posted), 0)::int,
                                'missed_last', coalesce(sum(updates_missed_last), 0)::int + ${passed('open_update_deadlines', now)})
         FROM day_rows) AS updates,
      (SELECT json_build_object('published', coalesce(sum(reviews_on_time), 0)::int,
                                'required', coalesce(sum(reviews_published), 0)::int + ${passed('reviews_due', now)})
         FROM day_rows) AS reviews,
      (SELECT json_build_object(
                'open', coalesce(sum(items_open), 0)::int, 'done', coalesce(sum(items_done), 0)::int,
                'overdue', (SELECT count(*) FROM (SELECT items_open_due FROM day_rows WHERE cardinality(items_open_due) > 0) r, unnest(r.items_open_due) AS due
                             WHERE due < (${now}::timestamptz AT TIME ZONE 'UTC')::date)::int,
                'median_age', (SELECT floor(percentile_cont(0.5) WITHIN GROUP (ORDER BY GREATEST(0, floor(date_part('epoch', ${now}::timestamptz - created) + 0.5))) + 0.5)::int
                                 FROM (SELECT items_open_created FROM day_rows WHERE cardinality(items_open_created) > 0) r, unnest(r.items_open_created) AS created))
         FROM day_rows) AS action_items,
      (SELECT json_agg(t) FROM (
         SELECT to_char(date_trunc(${unit}, day::timestamp), 'YYYY-MM-DD') AS period, severity_key AS severity, sum(incidents)::int AS incidents
           FROM day_rows GROUP BY 1, 2) t) AS by_period_severity,
      (SELECT json_agg(t) FROM (
         SELECT s.service, s.incidents, (s.impact + coalesce(o.minutes, 0))::int AS impact
           FROM (SELECT service, sum(incidents)::int AS incidents, sum(impact_minutes) AS impact FROM service_rows GROUP BY service) s
           -- The impact of incidents neither mitigated nor resolved runs until now.
           LEFT JOIN (SELECT r.service, sum(${minutesSince('f')}) AS minutes
                        FROM (SELECT service, open_impact_from FROM service_rows WHERE cardinality(open_impact_from) > 0) r, unnest(r.open_impact_from) AS f
                       GROUP BY r.service) o ON o.service = s.service
          ORDER BY 2 DESC, 3 DESC, 1 LIMIT 30) t) AS services,
      (SELECT json_build_array(${Prisma.join(resolveBuckets.map((_, i) => Prisma.raw(`coalesce(sum(ttr_buckets[${i + 1}]), 0)::int`)))}) FROM day_rows) AS ttr_buckets,
      (SELECT json_agg(t ORDER BY t.day) FROM (SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(incidents)::int AS incidents FROM day_rows GROUP BY day) t) AS calendar,
      (SELECT json_build_object(
                'with_alerts', coalesce(sum(with_alerts), 0)::int, 'from_alert', coalesce(sum(from_alert), 0)::int,
                'counts', (SELECT json_agg(json_build_object('value', c.value, 'times', c.times)) FROM (
                             SELECT value, count(*)::int AS times
                               FROM (SELECT alert_counts FROM day_rows WHERE cardinality(alert_counts) > 0) r, unnest(r.alert_counts) AS value
                              GROUP BY value) c))
         FROM day_rows) AS alerts_per_incident,
      (SELECT json_agg(t ORDER BY t.pages DESC, t.outside DESC, t.name) FROM (
         SELECT u.email, u.name, count(DISTINCT n.page_id)::int AS pages,
                count(DISTINCT n.page_id) FILTER (WHERE ${outsideWorkingHoursSql(Prisma.sql`coalesce(n.completed_at, n.due_at) AT TIME ZONE coalesce(z.time_zone, 'UTC')`)})::int AS outside
           FROM pages p
           JOIN incidents i ON i.id = p.incident_id AND ${scopeCondition(filter, viewer)}
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
 * An alert's name (definitions.ts alertName) is the stored column alerts.name, generated by
 * PostgreSQL from the alertname label and the title (migration 20261204212754_alert_names).
 */
function noisiestAlertsStatement(filter: InsightsFilter, viewer: Viewer): Prisma.Sql {
  const incidents = seesEverything(viewer)
    ? Prisma.sql`count(n.incident_id)::int`
    : Prisma.sql`count(n.incident_id) FILTER (WHERE EXISTS (SELECT 1 FROM incidents vi WHERE vi.id = n.incident_id AND ${visibleToSql(viewer, 'vi')}))::int`;
  // Grouped by source id (names are unique) before the sources are joined, so PostgreSQL hashes
  // the 50,000 (source, name, incident) rows of three years instead of sorting them on disk.
  return Prisma.sql`
    SELECT json_agg(t ORDER BY t.occurrences DESC, t.incidents DESC, t.source COLLATE "C", t.name COLLATE "C") AS noisy_alerts FROM (
      SELECT src.name AS source, g.name, g.occurrences, g.alerts, g.incidents
        FROM (SELECT n.source_id, n.name, sum(n.occurrences) AS occurrences, sum(n.alerts)::int AS alerts, ${incidents} AS incidents
                FROM (SELECT a.source_id, a.name, a.incident_id, sum(a.count) AS occurrences, count(*) AS alerts
                        FROM alerts a WHERE ${alertScopeCondition(filter)}
                       GROUP BY 1, 2, 3) n
               GROUP BY n.source_id, n.name) g
        JOIN alert_sources src ON src.id = g.source_id
       ORDER BY g.occurrences DESC, g.incidents DESC, src.name COLLATE "C", g.name COLLATE "C"
       LIMIT ${NOISIEST_ALERTS}) t`;
}

/**
 * How much memory each sort and hash of an insights statement may use before it spills to disk.
 * PostgreSQL's default (4 MB) is too little for the medians over three years (about 98,000
 * durations): on the large bench data set (100,000 incidents) each view wrote about 2 MB of
 * temporary files, and the slowest of ten views took 235–316 ms against 209–223 with 32 MB, in
 * three alternating rounds; 32 MB still spilled a little, 64 MB nothing. It is a ceiling, not an
 * allocation, and holds only for these statements (SET LOCAL).
 */
export const INSIGHTS_WORK_MEM = '64MB';

/** One statement's single row, with room to sort in memory. */
async function insightsQuery<T>(statement: Prisma.Sql): Promise<T> {
  const [, rows] = await db.$transaction([db.$executeRawUnsafe(`SET LOCAL work_mem = '${INSIGHTS_WORK_MEM}'`), db.$queryRaw<T[]>(statement)]);
  return rows[0]!;
}

/**
 * Every figure of /insights and GET /api/v1/insights for the filters: the range's whole past days
 * rolled up first where they are missing or stale (rollups.ts), then three statements run at once
 * on connections of their own, so PostgreSQL spreads them over the cores: the distributions
 * (sorts), the counted figures, and the noisiest alerts. `rollups: false` counts every incident
 * live instead (the roll-ups' tests compare the two).
 */
export async function getInsights(filter: InsightsFilter, viewer: Viewer, now = new Date(), { rollups = true } = {}): Promise<InsightsDto> {
  const view = viewOf(filter, viewer, now, rollups);
  if (view.rolled) await ensureRollups(view.rolled.first, view.rolled.end);
  const [d, r, noisy] = await Promise.all([
    insightsQuery<DistributionsRow>(distributionsStatement(view)),
    insightsQuery<Row>(figuresStatement(view)),
    insightsQuery<{ noisy_alerts: NoisyAlert[] | null }>(noisiestAlertsStatement(filter, viewer)),
  ]);
  const severities = r.by_severity ?? [];
  const totals = {
    incidents: severities.reduce((n, s) => n + s.incidents, 0),
    met: severities.reduce((n, s) => n + s.met, 0),
    owed: severities.reduce((n, s) => n + s.total, 0),
  };

  const bySeverity = Object.fromEntries((r.by_severity ?? []).map((s) => [s.severity, { met: s.met, total: s.total, targetMinutes: s.target }]));
  const periods = new Map((d.periods ?? []).map((p) => [p.period, p]));
  const severityCounts = r.by_period_severity ?? [];
  const series = periodsBetween(filter.from, filter.to, filter.groupBy).map((period) => ({
    period,
    incidents: periods.get(period)?.incidents ?? 0,
    mttr: periods.get(period)?.mttr ?? { median: null, p90: null },
    bySeverity: Object.fromEntries(severityCounts.filter((s) => s.period === period).map((s) => [s.severity, s.incidents])),
  }));
  const buckets = r.ttr_buckets ?? [];
  // Alerts per incident: the incidents in scope without any alert are the 0s.
  const alertCounts = [...(r.alerts_per_incident.counts ?? []), { value: 0, times: totals.incidents - r.alerts_per_incident.with_alerts }];
  return {
    from: filter.from.toISOString(),
    to: filter.to.toISOString(),
    groupBy: filter.groupBy,
    filters: { severity: filter.severity, service: filter.service },
    totals: {
      incidents: totals.incidents,
      mttd: d.totals.mttd,
      mtta: d.totals.mtta,
      mttm: d.totals.mttm,
      mttr: d.totals.mttr,
      responseTargetMet: { met: totals.met, total: totals.owed, bySeverity },
      updatesOnTime: { onTime: r.updates.on_time, total: r.updates.posted + r.updates.missed_last },
      reviewsPublished: { published: r.reviews.published, required: r.reviews.required, withinDays: REVIEW_DUE_DAYS },
      actionItems: { open: r.action_items.open, done: r.action_items.done, overdue: r.action_items.overdue, medianOpenAgeSeconds: r.action_items.median_age },
      alertsPerIncident: {
        median: percentileOfCounts(alertCounts, 0.5),
        p90: percentileOfCounts(alertCounts, 0.9),
        incidents: totals.incidents,
        withAlerts: r.alerts_per_incident.with_alerts,
        startedFromAlert: r.alerts_per_incident.from_alert,
      },
    },
    series,
    services: (r.services ?? []).map((s) => ({ service: s.service, incidents: s.incidents, impactMinutes: s.impact })),
    timeToResolve: resolveBuckets.map((b, i) => ({ bucket: b.label, incidents: buckets[i] ?? 0 })),
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
