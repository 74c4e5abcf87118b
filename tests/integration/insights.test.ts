// The insights SQL against a hand-made data set whose answers were worked out by hand (the
// comments beside each incident), and against definitions.ts applied to the same rows: the
// figures of GET /api/v1/insights, the CSV behind them, and earlier incidents on a service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/platform/db';
import {
  actionItemCounts,
  alertName,
  alertsPerIncident,
  noisiestAlerts,
  type AlertFacts,
  pagesPerPerson,
  distribution,
  responseTarget,
  reviewCompletion,
  reviewCounts,
  timeToAcknowledge,
  timeToDetect,
  timeToMitigate,
  timeToResolve,
  updateCadence,
  type IncidentFacts,
} from '@/lib/insights/definitions';
import { incidentsCsv } from '@/lib/insights/export';
import { cachedInsights, getInsights, minuteOf } from '@/lib/insights/queries';
import { findRelatedIncidents, listRelatedIncidents } from '@/lib/insights/related';
import { insightsQuerySchema, resolveFilter, type InsightsFilter } from '@/lib/insights/schema';
import type { Viewer } from '@/lib/incidents/visibility';
import { createApiToken } from '@/lib/tokens/service';
import { GET as insightsRoute } from '@/app/api/v1/insights/route';

const now = new Date('2026-03-20T12:00:00Z');
const t = (day: string, hhmm: string) => new Date(`2026-${day}T${hhmm}:00Z`);

type Made = IncidentFacts & {
  key: string;
  title: string;
  severity: string;
  services: string[];
  status: string;
  updates: Date[];
  review: Date | null;
  items: { status: 'open' | 'done'; dueDate: string | null; createdAt: Date; completedAt: Date | null }[];
};

// Worked out by hand for now = 2026-03-20 12:00 UTC (SEV1 15 min/30 min, SEV2 30/60, SEV3 120/240, SEV4 1440/1440).
const incidents: Made[] = [
  // A: ttd 720, tta 600 (met), ttm 5400, ttr 10800, impact 90; updates 2 on time of 4 (11:00 late, one missed before 12:40); review on time.
  { key: 'A', title: 'Checkout 502s', severity: 'SEV1', services: ['checkout'], status: 'resolved', startedAt: t('03-02', '09:40'), detectedAt: t('03-02', '09:52'), declaredAt: t('03-02', '10:00'), acknowledgedAt: t('03-02', '10:10'), mitigatedAt: t('03-02', '11:10'), resolvedAt: t('03-02', '12:40'),
    updates: [t('03-02', '10:25'), t('03-02', '11:00'), t('03-02', '11:20')], review: t('03-05', '09:00'),
    items: [{ status: 'open', dueDate: '2026-03-10', createdAt: t('03-05', '12:00'), completedAt: null }, { status: 'done', dueDate: '2026-03-09', createdAt: t('03-05', '12:00'), completedAt: t('03-08', '12:00') }] },
  // B: no start time: only tta 2400 (missed); impact 240 (declared → resolved); updates 1 of 3; review missing.
  { key: 'B', title: 'API errors for EU', severity: 'SEV2', services: ['checkout', 'api'], status: 'closed', startedAt: null, detectedAt: null, declaredAt: t('03-04', '10:00'), acknowledgedAt: t('03-04', '10:40'), mitigatedAt: null, resolvedAt: t('03-04', '14:00'),
    updates: [t('03-04', '10:50'), t('03-04', '12:30')], review: null, items: [{ status: 'open', dueDate: null, createdAt: t('03-06', '12:00'), completedAt: null }] },
  // C: back-dated detection (before the start: ttd 0) and acknowledgement (before the declaration: tta 0, met); ttm 5400; reopened, so no ttr; updates 0 of 1.
  { key: 'C', title: 'API latency', severity: 'SEV2', services: ['api'], status: 'investigating', startedAt: t('03-10', '08:00'), detectedAt: t('03-10', '07:50'), declaredAt: t('03-10', '09:00'), acknowledgedAt: t('03-10', '08:55'), mitigatedAt: t('03-10', '09:30'), resolvedAt: null,
    updates: [], review: null, items: [] },
  // D: never acknowledged (missed), never mitigated; ttd 1800, ttr 14400 (a bucket bound: 4–8 h); updates 1 of 1; a title a spreadsheet would run.
  { key: 'D', title: '=HYPERLINK("http://evil.example","search down")', severity: 'SEV3', services: ['search'], status: 'resolved', startedAt: t('03-12', '09:00'), detectedAt: t('03-12', '09:30'), declaredAt: t('03-12', '10:00'), acknowledgedAt: null, mitigatedAt: null, resolvedAt: t('03-12', '13:00'),
    updates: [t('03-12', '11:00')], review: null, items: [{ status: 'done', dueDate: null, createdAt: t('03-13', '12:00'), completedAt: t('03-14', '12:00') }] },
  // E: ttd 180, tta 300, ttm 1500, ttr 3300, impact 25; updates 1 of 2; review published early (on time).
  { key: 'E', title: 'Checkout slow', severity: 'SEV1', services: ['checkout'], status: 'resolved', startedAt: t('03-16', '09:55'), detectedAt: t('03-16', '09:58'), declaredAt: t('03-16', '10:00'), acknowledgedAt: t('03-16', '10:05'), mitigatedAt: t('03-16', '10:20'), resolvedAt: t('03-16', '10:50'),
    updates: [t('03-16', '10:15')], review: t('03-18', '09:00'), items: [{ status: 'open', dueDate: '2026-03-30', createdAt: t('03-18', '12:00'), completedAt: null }] },
  // F: just declared: response pending (not counted), no update due yet, impact 750 (until now).
  { key: 'F', title: 'Search index stale', severity: 'SEV4', services: ['search'], status: 'investigating', startedAt: null, detectedAt: null, declaredAt: t('03-19', '23:30'), acknowledgedAt: null, mitigatedAt: null, resolvedAt: null, updates: [], review: null, items: [] },
];
// Outside the range on either side.
const outside: Made[] = [
  { key: 'G', title: 'Checkout down in February', severity: 'SEV1', services: ['checkout'], status: 'resolved', startedAt: t('02-20', '10:00'), detectedAt: t('02-20', '10:01'), declaredAt: t('02-20', '10:05'), acknowledgedAt: t('02-20', '10:06'), mitigatedAt: t('02-20', '10:30'), resolvedAt: t('02-20', '11:00'), updates: [], review: null, items: [] },
  { key: 'H', title: 'Declared after the range', severity: 'SEV1', services: ['checkout'], status: 'investigating', startedAt: null, detectedAt: null, declaredAt: t('03-20', '01:00'), acknowledgedAt: null, mitigatedAt: null, resolvedAt: null, updates: [], review: null, items: [] },
];

// Alerts, worked out by hand. Each is one firing; `count` its repeats. Received in March unless said.
type MadeAlert = {
  source: 'prom' | 'hooks';
  title: string;
  alertname?: string;
  severity: string;
  service: string | null;
  count: number;
  incident: string | null;
  startsAt: Date;
  receivedAt: Date;
  status?: 'firing' | 'silenced' | 'resolved';
};
const alerts: MadeAlert[] = [
  // A started from two firings of one rule on two pods (received before its declaration at 10:00), and a later one.
  { source: 'prom', title: 'Checkout 5xx on pod-1', alertname: 'CheckoutErrors', severity: 'SEV1', service: 'checkout', count: 12, incident: 'A', startsAt: t('03-02', '09:45'), receivedAt: t('03-02', '09:46') },
  { source: 'prom', title: 'Checkout 5xx on pod-2', alertname: 'CheckoutErrors', severity: 'SEV1', service: 'checkout', count: 3, incident: 'A', startsAt: t('03-02', '09:47'), receivedAt: t('03-02', '09:47') },
  { source: 'prom', title: 'Checkout p99 over 2 s', alertname: 'CheckoutLatency', severity: 'SEV1', service: 'checkout', count: 2, incident: 'A', startsAt: t('03-02', '11:30'), receivedAt: t('03-02', '11:30') },
  // B was declared by hand at 10:00; the alert came half an hour later and was linked: not how it started.
  { source: 'prom', title: 'Checkout 5xx on pod-7', alertname: 'CheckoutErrors', severity: 'SEV2', service: 'checkout', count: 1, incident: 'B', startsAt: t('03-04', '10:30'), receivedAt: t('03-04', '10:30'), status: 'resolved' },
  // D: a webhook without an alertname (named by its title) whose sender's clock runs ahead: received 09:58, before the 10:00 declaration.
  { source: 'hooks', title: 'search down', severity: 'SEV3', service: 'search', count: 4, incident: 'D', startsAt: t('03-12', '10:05'), receivedAt: t('03-12', '09:58') },
  // Noise that became no incident: a silenced disk alert, and the search webhook again.
  { source: 'prom', title: 'Disk 95% full on db-1', alertname: 'DiskFull', severity: 'SEV3', service: null, count: 7, incident: null, startsAt: t('03-08', '03:00'), receivedAt: t('03-08', '03:00'), status: 'silenced' },
  { source: 'hooks', title: 'search down', severity: 'SEV3', service: 'search', count: 1, incident: null, startsAt: t('03-15', '08:00'), receivedAt: t('03-15', '08:00') },
  // Outside the range on either side: G's alert in February, a storm after the range.
  { source: 'prom', title: 'Checkout 5xx on pod-1', alertname: 'CheckoutErrors', severity: 'SEV1', service: 'checkout', count: 50, incident: 'G', startsAt: t('02-20', '09:59'), receivedAt: t('02-20', '10:00') },
  { source: 'prom', title: 'Disk 95% full on db-1', alertname: 'DiskFull', severity: 'SEV3', service: null, count: 100, incident: 'H', startsAt: t('03-20', '00:30'), receivedAt: t('03-20', '00:30') },
];
const inMarch = (a: MadeAlert) => a.receivedAt >= t('03-01', '00:00') && a.receivedAt < t('03-20', '00:00');
const sourceNames = { prom: 'Prometheus (prod)', hooks: 'Search webhooks' } as const;
const alertFacts = (a: MadeAlert): AlertFacts => ({
  source: sourceNames[a.source],
  title: a.title,
  labels: a.alertname ? { alertname: a.alertname } : {},
  count: a.count,
  incidentId: a.incident,
  startsAt: a.startsAt,
  receivedAt: a.receivedAt,
});

const numbers = new Map<string, number>();
// The figures as an admin (or the installation) sees them: every incident.
const all: Viewer = 'installation';

function filterOf(query: Record<string, string>): InsightsFilter {
  const resolved = resolveFilter(insightsQuerySchema.parse(query), now);
  if ('errors' in resolved) throw new Error(JSON.stringify(resolved.errors));
  return resolved.filter;
}
const march = { from: '2026-03-01', to: '2026-03-19' };

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, runbooks, remediation_actions, alert_sources CASCADE');
  await db.$executeRawUnsafe(`UPDATE severities SET response_target_minutes = v.t, update_cadence_minutes = v.c, review_required = v.r
    FROM (VALUES ('SEV1', 15, 30, true), ('SEV2', 30, 60, true), ('SEV3', 120, 240, false), ('SEV4', 1440, 1440, false)) AS v(k, t, c, r) WHERE key = v.k`);
  for (const made of [...incidents, ...outside]) {
    const incident = await db.incident.create({
      data: {
        title: made.title,
        severityKey: made.severity,
        status: made.status as 'resolved',
        services: made.services,
        startedAt: made.startedAt,
        detectedAt: made.detectedAt,
        declaredAt: made.declaredAt,
        acknowledgedAt: made.acknowledgedAt,
        mitigatedAt: made.mitigatedAt,
        resolvedAt: made.resolvedAt,
      },
    });
    numbers.set(made.key, incident.number);
    for (const postedAt of made.updates) await db.statusUpdate.create({ data: { incidentId: incident.id, audience: 'internal', body: 'update', incidentStatus: 'investigating', postedAt } });
    if (made.review) {
      const review = await db.postmortem.create({ data: { incidentId: incident.id, status: 'published', publishedAt: made.review } });
      await db.postmortemSection.create({ data: { postmortemId: review.id, key: 'root_cause', title: 'Root cause', position: 1, body: `## Cause\n\n${made.title} came from a cache size doubled in release 2.14.\n\nMore detail.`, edited: true } });
    }
    for (const [i, item] of made.items.entries()) {
      await db.actionItem.create({ data: { incidentId: incident.id, title: `${made.key} follow-up ${i + 1}`, status: item.status, dueDate: item.dueDate ? new Date(`${item.dueDate}T00:00:00Z`) : null, createdAt: item.createdAt, completedAt: item.completedAt } });
    }
  }
  const sources = {
    prom: await db.alertSource.create({ data: { name: sourceNames.prom, kind: 'alertmanager', tokenHash: 'insights-test-prom', tokenHint: 'prom' } }),
    hooks: await db.alertSource.create({ data: { name: sourceNames.hooks, kind: 'generic', tokenHash: 'insights-test-hooks', tokenHint: 'hook' } }),
  };
  for (const [i, made] of alerts.entries()) {
    const source = sources[made.source];
    const incident = made.incident ? await db.incident.findUniqueOrThrow({ where: { number: numbers.get(made.incident)! }, select: { id: true } }) : null;
    const group = await db.alertGroup.create({ data: { sourceId: source.id, groupKey: `group-${i}`, title: made.title, createdAt: made.receivedAt, closedAt: made.receivedAt, incidentId: incident?.id } });
    const status = made.status ?? 'firing';
    await db.alert.create({
      data: {
        sourceId: source.id,
        groupId: group.id,
        fingerprint: `fp-${i}`,
        status,
        title: made.title,
        severityKey: made.severity,
        service: made.service,
        labels: made.alertname ? { alertname: made.alertname } : {},
        count: made.count,
        incidentId: incident?.id,
        startsAt: made.startsAt,
        createdAt: made.receivedAt,
        lastSeenAt: made.receivedAt,
        resolvedAt: status === 'resolved' ? made.receivedAt : null,
        endsAt: status === 'resolved' ? made.receivedAt : null,
      },
    });
  }
});

afterAll(async () => {
  await db.$disconnect();
});

describe('GET /api/v1/insights figures', () => {
  it('match the answers worked out by hand', async () => {
    const insights = await getInsights(filterOf(march), all, now);
    expect(insights.totals).toEqual({
      incidents: 6,
      mttd: { median: 450, p90: 1476 },
      mtta: { median: 450, p90: 1860 },
      mttm: { median: 5400, p90: 5400 },
      mttr: { median: 10800, p90: 13680 },
      responseTargetMet: {
        met: 3,
        total: 5,
        bySeverity: { SEV1: { met: 2, total: 2, targetMinutes: 15 }, SEV2: { met: 1, total: 2, targetMinutes: 30 }, SEV3: { met: 0, total: 1, targetMinutes: 120 }, SEV4: { met: 0, total: 0, targetMinutes: 1440 } },
      },
      updatesOnTime: { onTime: 5, total: 11 },
      reviewsPublished: { published: 2, required: 3, withinDays: 7 },
      actionItems: { open: 3, done: 2, overdue: 1, medianOpenAgeSeconds: 14 * 86_400 },
      // Linked alerts A 3, B 1, C 0, D 1, E 0, F 0 → 0 0 0 1 1 3: median 0.5 → 1, p90 at rank 4.5: 1 + 0.5 × 2 = 2.
      // Started from an alert: A and D (D's alert arrived before the declaration though its sender says it started after).
      alertsPerIncident: { median: 1, p90: 2, incidents: 6, withAlerts: 3, startedFromAlert: 2 },
    });
    expect(insights.noisiestAlerts).toEqual([
      { source: sourceNames.prom, name: 'CheckoutErrors', occurrences: 16, alerts: 3, incidents: 2 },
      { source: sourceNames.prom, name: 'DiskFull', occurrences: 7, alerts: 1, incidents: 0 },
      { source: sourceNames.hooks, name: 'search down', occurrences: 5, alerts: 2, incidents: 1 },
      { source: sourceNames.prom, name: 'CheckoutLatency', occurrences: 2, alerts: 1, incidents: 1 },
    ]);
    expect(insights.services).toEqual([
      { service: 'checkout', incidents: 3, impactMinutes: 355 },
      { service: 'search', incidents: 2, impactMinutes: 990 },
      { service: 'api', incidents: 2, impactMinutes: 330 },
    ]);
    expect(insights.timeToResolve.filter((b) => b.incidents > 0)).toEqual([
      { bucket: '30 min–1 h', incidents: 1 },
      { bucket: '2–4 h', incidents: 1 },
      { bucket: '4–8 h', incidents: 1 },
    ]);
    expect(insights.calendar).toEqual(['03-02', '03-04', '03-10', '03-12', '03-16', '03-19'].map((d) => ({ day: `2026-${d}`, incidents: 1 })));
    expect(insights.groupBy).toBe('week');
    expect(insights.series).toEqual([
      { period: '2026-02-23', incidents: 0, mttr: { median: null, p90: null }, bySeverity: {} },
      { period: '2026-03-02', incidents: 2, mttr: { median: 10800, p90: 10800 }, bySeverity: { SEV1: 1, SEV2: 1 } },
      { period: '2026-03-09', incidents: 2, mttr: { median: 14400, p90: 14400 }, bySeverity: { SEV2: 1, SEV3: 1 } },
      { period: '2026-03-16', incidents: 2, mttr: { median: 3300, p90: 3300 }, bySeverity: { SEV1: 1, SEV4: 1 } },
    ]);
  });

  it('agree with definitions.ts applied to the same incidents', async () => {
    const insights = await getInsights(filterOf(march), all, now);
    const targets: Record<string, [number, number, boolean]> = { SEV1: [15, 30, true], SEV2: [30, 60, true], SEV3: [120, 240, false], SEV4: [1440, 1440, false] };
    const cadence = incidents.map((i) => updateCadence(i, i.updates, targets[i.severity]![1], now));
    const responses = incidents.map((i) => responseTarget(i, targets[i.severity]![0], now));
    expect(insights.totals.mttd).toEqual(distribution(incidents.map(timeToDetect)));
    expect(insights.totals.mtta).toEqual(distribution(incidents.map(timeToAcknowledge)));
    expect(insights.totals.mttm).toEqual(distribution(incidents.map(timeToMitigate)));
    expect(insights.totals.mttr).toEqual(distribution(incidents.map(timeToResolve)));
    expect(insights.totals.responseTargetMet.met).toBe(responses.filter((r) => r === 'met').length);
    expect(insights.totals.responseTargetMet.total).toBe(responses.filter((r) => r !== 'pending').length);
    expect(insights.totals.updatesOnTime).toEqual({ onTime: cadence.reduce((s, c) => s + c.onTime, 0), total: cadence.reduce((s, c) => s + c.total, 0) });
    const { published, required } = reviewCounts(incidents.map((i) => reviewCompletion({ resolvedAt: i.resolvedAt, reviewRequired: targets[i.severity]![2] }, i.review, now)));
    expect(insights.totals.reviewsPublished).toMatchObject({ published, required });
    const { open, done, overdue, medianOpenAgeSeconds } = actionItemCounts(incidents.flatMap((i) => i.items), now);
    expect(insights.totals.actionItems).toEqual({ open, done, overdue, medianOpenAgeSeconds });
    expect(insights.noisiestAlerts).toEqual(noisiestAlerts(alerts.filter(inMarch).map(alertFacts)));
    expect(insights.totals.alertsPerIncident).toEqual(alertsPerIncident(incidents.map((i) => ({ declaredAt: i.declaredAt, alerts: alerts.filter((a) => a.incident === i.key).map(alertFacts) }))));
  });

  it('narrow the alert figures by severity and service: the alert’s own for the noisiest, the incidents’ for alerts per incident', async () => {
    const sev1 = await getInsights(filterOf({ ...march, severity: 'SEV1' }), all, now);
    // B's SEV2 firing of CheckoutErrors is left out.
    expect(sev1.noisiestAlerts).toEqual([
      { source: sourceNames.prom, name: 'CheckoutErrors', occurrences: 15, alerts: 2, incidents: 1 },
      { source: sourceNames.prom, name: 'CheckoutLatency', occurrences: 2, alerts: 1, incidents: 1 },
    ]);
    // A 3, E 0: median 1.5 → 2, p90 2.7 → 3.
    expect(sev1.totals.alertsPerIncident).toEqual({ median: 2, p90: 3, incidents: 2, withAlerts: 1, startedFromAlert: 1 });
    const search = await getInsights(filterOf({ ...march, service: 'search' }), all, now);
    expect(search.noisiestAlerts).toEqual([{ source: sourceNames.hooks, name: 'search down', occurrences: 5, alerts: 2, incidents: 1 }]);
    // D 1, F 0: median 0.5 → 1, p90 0.9 → 1.
    expect(search.totals.alertsPerIncident).toEqual({ median: 1, p90: 1, incidents: 2, withAlerts: 1, startedFromAlert: 1 });
    const none = await getInsights(filterOf({ from: '2025-01-01', to: '2025-01-31' }), all, now);
    expect(none.noisiestAlerts).toEqual([]);
    expect(none.totals.alertsPerIncident).toEqual({ median: null, p90: null, incidents: 0, withAlerts: 0, startedFromAlert: 0 });
  });

  it('narrow to a severity or a service', async () => {
    const sev1 = await getInsights(filterOf({ ...march, severity: 'SEV1' }), all, now);
    expect(sev1.totals.incidents).toBe(2);
    expect(sev1.totals.mttr).toEqual({ median: 7050, p90: 10050 });
    const api = await getInsights(filterOf({ ...march, service: 'api' }), all, now);
    expect(api.totals.incidents).toBe(2);
    expect(api.services.map((s) => s.service).sort()).toEqual(['api', 'checkout']);
    expect(api.totals.responseTargetMet).toMatchObject({ met: 1, total: 2 });
  });

  it('group by month and count empty months', async () => {
    const insights = await getInsights(filterOf({ from: '2026-01-15', to: '2026-03-19', groupBy: 'month' }), all, now);
    expect(insights.series.map((s) => [s.period, s.incidents])).toEqual([
      ['2026-01-01', 0],
      ['2026-02-01', 1],
      ['2026-03-01', 6],
    ]);
  });

  it('refuse impossible ranges naming each field', () => {
    const resolved = resolveFilter(insightsQuerySchema.parse({ range: 'custom', to: '2026-03-01' }), now);
    expect(resolved).toEqual({ errors: [{ path: 'from', message: 'A custom range needs a start day (from)' }] });
    const backwards = resolveFilter(insightsQuerySchema.parse({ from: '2026-03-10', to: '2026-03-01' }), now);
    expect('errors' in backwards && backwards.errors.map((e) => e.path)).toEqual(['to']);
    const parsed = insightsQuerySchema.safeParse({ range: '7', groupBy: 'day', from: '2026-02-30' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['from', 'groupBy', 'range']);
  });
});

async function readCsv(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('an alert’s name', () => {
  it('is stored by PostgreSQL as definitions.ts alertName says: the alertname label trimmed, else the title', async () => {
    const labels = [{ alertname: ' \t CheckoutErrors\n\r\f\v' }, { alertname: ' \n ' }, { alertname: '' }, {}, { alertname: 'Disk full on db-1' }, { instance: 'db-1' }];
    const rolledBack = new Error('rolled back');
    let stored: { title: string; labels: Record<string, string>; name: string }[] = [];
    await db
      .$transaction(async (tx) => {
        stored = await tx.$queryRaw`
          INSERT INTO alerts (source_id, group_id, fingerprint, status, title, severity_key, labels, starts_at, last_seen_at)
          SELECT a.source_id, a.group_id, 'name-' || l.n, 'firing', 'Titled ' || l.n, 'SEV3', l.labels, now(), now()
            FROM (SELECT source_id, group_id FROM alerts LIMIT 1) a, jsonb_array_elements(${JSON.stringify(labels)}::jsonb) WITH ORDINALITY AS l(labels, n)
          RETURNING title, labels, name`;
        throw rolledBack;
      })
      .catch((error: unknown) => {
        if (error !== rolledBack) throw error;
      });
    expect(stored).toHaveLength(labels.length);
    for (const row of stored) expect(row.name, JSON.stringify(row.labels)).toBe(alertName(row));
    expect(stored.map((row) => row.name).sort()).toEqual(['CheckoutErrors', 'Disk full on db-1', 'Titled 2', 'Titled 3', 'Titled 4', 'Titled 6']);
  });
});

describe('the CSV behind the figures', () => {
  it('has a header and one row per incident in the filters, formulas neutralised', async () => {
    const text = await readCsv(incidentsCsv(filterOf(march), all, undefined, now));
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^key,title,severity,status,services,/);
    expect(lines).toHaveLength(7);
    const d = lines.find((l) => l.includes('HYPERLINK'))!;
    expect(d).toContain(`"'=HYPERLINK(""http://evil.example"",""search down"")"`);
    const a = lines.find((l) => l.startsWith(`INC-${numbers.get('A')},`))!;
    // time to detect, acknowledge, mitigate, resolve; impact; target; verdicts.
    expect(a).toContain(',720,600,5400,10800,90,15,met,2,4,published,');
  });

  it('keeps only the incidents a figure counts', async () => {
    const mttr = (await readCsv(incidentsCsv(filterOf(march), all, 'mttr', now))).trim().split('\n');
    expect(mttr.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(['A', 'D', 'E'].map((k) => `INC-${numbers.get(k)}`).sort());
    const reviews = (await readCsv(incidentsCsv(filterOf(march), all, 'reviews', now))).trim().split('\n');
    expect(reviews).toHaveLength(4);
    // Alerts per incident: the incidents with a linked alert, each with its count and whether it started from one.
    const alerts = (await readCsv(incidentsCsv(filterOf(march), all, 'alerts', now))).trim().split('\n');
    const header = alerts[0]!.split(',');
    const column = (line: string, name: string) => line.split(',').at(header.indexOf(name) - header.length);
    const withAlerts = alerts.slice(1);
    expect(withAlerts.length).toBeGreaterThan(0);
    for (const line of withAlerts) expect(Number(column(line, 'alerts'))).toBeGreaterThan(0);
    const a = withAlerts.find((line) => line.startsWith(`INC-${numbers.get('A')},`))!;
    expect([column(a, 'alerts'), column(a, 'started_from_alert')]).toEqual(['3', 'yes']);
    const everyone = (await readCsv(incidentsCsv(filterOf(march), all, undefined, now))).trim().split('\n');
    expect(everyone.slice(1).filter((line) => Number(column(line, 'alerts')) > 0)).toHaveLength(withAlerts.length);
  });

  it('pages through more incidents than one read holds', async () => {
    await db.$executeRawUnsafe(`INSERT INTO incidents (title, severity_key, declared_at) SELECT 'bulk ' || g, 'SEV4', '2025-06-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 2500) g`);
    try {
      const text = await readCsv(incidentsCsv(filterOf({ from: '2025-06-01', to: '2025-06-30' }), all, undefined, now));
      expect(text.trim().split('\n')).toHaveLength(2501);
    } finally {
      await db.$executeRawUnsafe(`DELETE FROM incidents WHERE title LIKE 'bulk %'`);
    }
  });
});

describe('earlier incidents on the same services', () => {
  it('lists incidents of the 90 days before that share a service, newest first, with open follow-ups and the root cause', async () => {
    const related = await listRelatedIncidents(numbers.get('E')!, all);
    expect(related.map((r) => r.number)).toEqual(['B', 'A', 'G'].map((k) => numbers.get(k)));
    const a = related.find((r) => r.number === numbers.get('A'))!;
    expect(a.rootCause).toBe('Checkout 502s came from a cache size doubled in release 2.14.');
    expect(a.openActionItems.map((i) => i.title)).toEqual(['A follow-up 1']);
    expect(a.timeToResolveSeconds).toBe(10800);
    expect(related.find((r) => r.number === numbers.get('B'))!).toMatchObject({ sharedServices: ['checkout'], rootCause: null });
  });

  it('answers for services being typed into the declare dialog', async () => {
    const related = await findRelatedIncidents(['search', ''], new Date('2026-03-21T00:00:00Z'), all);
    expect(related.map((r) => r.number)).toEqual(['F', 'D'].map((k) => numbers.get(k)));
    expect(await findRelatedIncidents([], now, all)).toEqual([]);
  });
});

describe('private incidents', () => {
  it('are counted only for their members and admins, in the figures, the CSV and earlier incidents', async () => {
    const viewer = await db.user.create({ data: { email: 'vic@example.com', name: 'Vic Viewer', role: 'viewer' } });
    const secret = await db.incident.create({
      data: { title: 'Secret breach', severityKey: 'SEV1', services: ['checkout'], private: true, startedAt: t('03-17', '09:00'), declaredAt: t('03-17', '10:00'), resolvedAt: t('03-17', '11:00') },
    });
    try {
      const outsider: Viewer = { id: viewer.id, role: 'viewer' };
      expect((await getInsights(filterOf(march), outsider, now)).totals.incidents).toBe(6);
      expect((await getInsights(filterOf(march), all, now)).totals.incidents).toBe(7);
      expect(await readCsv(incidentsCsv(filterOf(march), outsider, undefined, now))).not.toContain('Secret breach');
      expect((await findRelatedIncidents(['checkout'], now, outsider)).map((r) => r.title)).not.toContain('Secret breach');
      // Its alert is everyone's to see (as on /alerts), so it counts as noise; the incident it was linked to does not.
      const source = await db.alertSource.findUniqueOrThrow({ where: { name: sourceNames.prom } });
      const group = await db.alertGroup.create({ data: { sourceId: source.id, groupKey: 'secret', title: 'Secret', incidentId: secret.id, createdAt: t('03-17', '09:55') } });
      await db.alert.create({
        data: { sourceId: source.id, groupId: group.id, fingerprint: 'fp-secret', status: 'firing', title: 'Checkout 5xx on pod-9', labels: { alertname: 'CheckoutErrors' }, severityKey: 'SEV1', service: 'checkout', incidentId: secret.id, startsAt: t('03-17', '09:55'), createdAt: t('03-17', '09:55') },
      });
      const hidden = await getInsights(filterOf(march), outsider, now);
      expect(hidden.noisiestAlerts[0]).toEqual({ source: sourceNames.prom, name: 'CheckoutErrors', occurrences: 17, alerts: 4, incidents: 2 });
      expect(hidden.totals.alertsPerIncident).toMatchObject({ incidents: 6, startedFromAlert: 2 });
      const seen = await getInsights(filterOf(march), all, now);
      expect(seen.noisiestAlerts[0]).toMatchObject({ occurrences: 17, incidents: 3 });
      expect(seen.totals.alertsPerIncident).toMatchObject({ incidents: 7, withAlerts: 4, startedFromAlert: 3 });
      await db.incidentSme.create({ data: { incidentId: secret.id, userId: viewer.id } });
      const member = await getInsights(filterOf(march), outsider, now);
      expect(member.totals.incidents).toBe(7);
      expect(member.noisiestAlerts[0]).toMatchObject({ incidents: 3 });
    } finally {
      await db.alertGroup.deleteMany({ where: { groupKey: 'secret' } });
      await db.incident.delete({ where: { id: secret.id } });
    }
  });

  it('are kept apart in the per-minute cache: the figures cached for an admin never answer an outsider', async () => {
    const viewer = await db.user.create({ data: { email: 'cas@example.com', name: 'Cas Cache', role: 'viewer' } });
    const secret = await db.incident.create({
      data: { title: 'Cached secret', severityKey: 'SEV1', services: ['checkout'], private: true, declaredAt: t('03-17', '10:00') },
    });
    try {
      // A minute of its own, so no earlier test's view is in the cache.
      const minute = minuteOf(new Date('2026-03-20T12:07:30Z'));
      expect((await cachedInsights(filterOf(march), all, minute)).totals.incidents).toBe(7);
      expect((await cachedInsights(filterOf(march), { id: viewer.id, role: 'viewer' }, minute)).totals.incidents).toBe(6);
      // Within the minute the same view is not computed again: the new incident shows next minute.
      await db.incident.delete({ where: { id: secret.id } });
      expect((await cachedInsights(filterOf(march), all, minute)).totals.incidents).toBe(7);
      expect((await cachedInsights(filterOf(march), all, new Date(minute.getTime() + 60_000))).totals.incidents).toBe(6);
    } finally {
      await db.incident.deleteMany({ where: { id: secret.id } });
    }
  });
});

describe('the range of a view', () => {
  it('counts what was declared this very minute: the last 90 days run to the end of the current minute', async () => {
    const admin = await db.user.create({ data: { email: 'minute@example.com', name: 'Min Ute', role: 'admin' } });
    const { token } = await createApiToken({ email: admin.email, name: 'minute' }, { actor: null });
    const declared = await db.incident.create({ data: { title: 'Declared just now', severityKey: 'SEV3', services: ['minute-test'], declaredAt: new Date() } });
    try {
      const response = await insightsRoute(new Request('http://sitrep.test/api/v1/insights?service=minute-test', { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { to: string; totals: { incidents: number } };
      expect(body.totals.incidents).toBe(1);
      expect(new Date(body.to).getTime()).toBeGreaterThan(declared.declaredAt.getTime());
    } finally {
      await db.incident.deleteMany({ where: { id: declared.id } });
    }
  });
});

describe('paging (lib/oncall)', () => {
  // June 2025 holds nothing but this: one incident paged ten minutes before its declaration.
  const june = { from: '2025-06-01', to: '2025-06-30' };
  const utc = (iso: string) => new Date(`${iso}Z`);

  it('counts time to acknowledge from the first page, and the pages that reached each person, outside working hours in their schedule’s time zone', async () => {
    const [ann, bob, cy] = await Promise.all(
      ['Ann', 'Bob', 'Cy'].map((name) => db.user.create({ data: { email: `${name.toLowerCase()}@oncall.example`, name, role: 'responder' } })),
    );
    await db.schedule.create({ data: { name: 'Berlin', timeZone: 'Europe/Berlin', layers: [{ participants: [ann!.email], rotation: 'weekly', handoffTime: '09:00', startDate: '2025-01-06', restrictions: [] }] } });
    await db.schedule.create({ data: { name: 'New York', timeZone: 'America/New_York', layers: [{ participants: ['someone@else.example', bob!.email], rotation: 'weekly', handoffTime: '09:00', startDate: '2025-01-06', restrictions: [] }] } });
    // Monday 2 June 2025: paged 09:50, declared 10:00, acknowledged 10:04 (tta 14 min, within SEV1's 15).
    const incident = await db.incident.create({
      data: { title: 'Paged first', severityKey: 'SEV1', services: ['payments'], declaredAt: utc('2025-06-02T10:00:00'), pagedAt: utc('2025-06-02T09:50:00'), acknowledgedAt: utc('2025-06-02T10:04:00') },
    });
    const february = await db.incident.findFirstOrThrow({ where: { number: numbers.get('G') } });
    const page = (incidentId: string) => db.page.create({ data: { title: 'Payments down', incidentId, target: {}, policy: [] } });
    const [first, second, elsewhere] = [await page(incident.id), await page(incident.id), await page(february.id)];
    const notifications = [
      // 08:00 UTC is 10:00 in Berlin (inside); the same page by a second method a minute later.
      { pageId: first.id, userId: ann!.id, at: '2025-06-02T08:00:00', status: 'succeeded' as const, timeZone: 'Europe/Berlin' },
      { pageId: first.id, userId: ann!.id, at: '2025-06-02T08:01:00', status: 'succeeded' as const, timeZone: 'Europe/Berlin' },
      // 04:00 in New York: outside.
      { pageId: first.id, userId: bob!.id, at: '2025-06-02T08:00:00', status: 'succeeded' as const, timeZone: 'America/New_York' },
      // Cy has no schedule (UTC): a failed one reached nobody; a Saturday one is outside.
      { pageId: first.id, userId: cy!.id, at: '2025-06-02T08:00:00', status: 'failed' as const, timeZone: null },
      { pageId: second.id, userId: cy!.id, at: '2025-06-07T12:00:00', status: 'succeeded' as const, timeZone: null },
      // About an incident outside the range.
      { pageId: elsewhere.id, userId: ann!.id, at: '2026-02-20T22:00:00', status: 'succeeded' as const, timeZone: 'Europe/Berlin' },
    ];
    for (const [i, n] of notifications.entries()) {
      await db.pageNotification.create({
        data: { pageId: n.pageId, userId: n.userId, level: 1, cycle: 1 + i, kind: 'email', dueAt: utc(n.at), subject: 'Payments down', status: n.status, completedAt: utc(n.at) },
      });
    }

    const insights = await getInsights(filterOf(june), all, now);
    expect(insights.totals.incidents).toBe(1);
    expect(insights.totals.mtta.median).toBe(14 * 60);
    expect(insights.totals.responseTargetMet).toMatchObject({ met: 1, total: 1 });
    expect(insights.pages).toEqual([
      { person: { email: bob!.email, name: 'Bob' }, pages: 1, outsideWorkingHours: 1 },
      { person: { email: cy!.email, name: 'Cy' }, pages: 1, outsideWorkingHours: 1 },
      { person: { email: ann!.email, name: 'Ann' }, pages: 1, outsideWorkingHours: 0 },
    ]);
    // The same answer from definitions.ts on the notifications of the incidents in range.
    const byDefinition = pagesPerPerson(notifications.filter((n) => n.pageId !== elsewhere.id).map((n) => ({ ...n, at: utc(n.at) })));
    expect(Object.fromEntries(byDefinition)).toEqual({ [bob!.id]: { pages: 1, outsideWorkingHours: 1 }, [cy!.id]: { pages: 1, outsideWorkingHours: 1 }, [ann!.id]: { pages: 1, outsideWorkingHours: 0 } });
    // The CSV counts the same incident for time to acknowledge, and lists it with its two pages
    // behind "Pages per person"; February's incident is outside the range.
    expect((await readCsv(incidentsCsv(filterOf(june), all, 'mtta', now))).trim().split('\n')).toHaveLength(2);
    const paged = (await readCsv(incidentsCsv(filterOf(june), all, 'pages', now))).trim().split('\n');
    expect(paged).toHaveLength(2);
    expect(paged[1]!.startsWith(`INC-${incident.number},`)).toBe(true);
    expect(paged[1]!.split(',').at(paged[0]!.split(',').indexOf('pages') - paged[0]!.split(',').length)).toBe('2');
  });
});
