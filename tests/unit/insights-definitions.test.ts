// Each insights figure's definition on the incidents that make it tricky: no detected or
// mitigated time, reopened, back-dated, still open, unacknowledged, reviewed late.
import { describe, expect, it } from 'vitest';
import {
  actionItemCounts,
  alertName,
  alertsPerIncident,
  noisiestAlerts,
  startedFromAlert,
  type AlertFacts,
  distribution,
  impactMinutes,
  isOverdue,
  outsideWorkingHours,
  pagesPerPerson,
  percentile,
  percentileOfCounts,
  periodOf,
  resolveBucket,
  responseTarget,
  reviewCompletion,
  reviewCounts,
  span,
  timeToAcknowledge,
  timeToDetect,
  timeToMitigate,
  timeToResolve,
  updateCadence,
  type IncidentFacts,
} from '@/lib/insights/definitions';

const at = (hhmm: string, day = '2026-03-02') => new Date(`${day}T${hhmm}:00Z`);
const incident = (times: Partial<IncidentFacts>): IncidentFacts => ({
  startedAt: null,
  detectedAt: null,
  declaredAt: at('10:00'),
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  ...times,
});

describe('spans', () => {
  it('measures whole seconds between two times', () => {
    expect(span(at('10:00'), at('10:07'))).toBe(420);
  });

  it('is null when either time is missing', () => {
    expect(span(null, at('10:00'))).toBeNull();
    expect(span(at('10:00'), null)).toBeNull();
  });

  it('counts a back-dated end before its start as 0, not negative', () => {
    expect(span(at('10:00'), at('09:30'))).toBe(0);
  });
});

describe('time to detect', () => {
  it('is started → detected', () => {
    expect(timeToDetect(incident({ startedAt: at('09:40'), detectedAt: at('09:52') }))).toBe(12 * 60);
  });

  it('leaves out an incident without a detected time, or without a start', () => {
    expect(timeToDetect(incident({ startedAt: at('09:40') }))).toBeNull();
    expect(timeToDetect(incident({ detectedAt: at('09:52') }))).toBeNull();
  });

  it('counts detection back-dated before the start as immediate', () => {
    expect(timeToDetect(incident({ startedAt: at('09:40'), detectedAt: at('09:35') }))).toBe(0);
  });
});

describe('time to acknowledge', () => {
  it('is declared → acknowledged', () => {
    expect(timeToAcknowledge(incident({ acknowledgedAt: at('10:04') }))).toBe(240);
  });

  it('counts from the first page when it came before the declaration', () => {
    expect(timeToAcknowledge(incident({ pagedAt: at('09:50'), acknowledgedAt: at('10:04') }))).toBe(14 * 60);
  });

  it('ignores a page sent after the declaration', () => {
    expect(timeToAcknowledge(incident({ pagedAt: at('10:02'), acknowledgedAt: at('10:04') }))).toBe(240);
  });

  it('is null until acknowledged', () => {
    expect(timeToAcknowledge(incident({}))).toBeNull();
  });

  it('counts an acknowledgement back-dated before the declaration as immediate', () => {
    expect(timeToAcknowledge(incident({ acknowledgedAt: at('09:58') }))).toBe(0);
  });
});

describe('time to mitigate', () => {
  it('is started → mitigated', () => {
    expect(timeToMitigate(incident({ startedAt: at('09:40'), mitigatedAt: at('11:10') }))).toBe(90 * 60);
  });

  it('leaves out an incident that was never mitigated', () => {
    expect(timeToMitigate(incident({ startedAt: at('09:40'), resolvedAt: at('12:00') }))).toBeNull();
  });

  it('keeps the first mitigation of a reopened incident', () => {
    // Mitigated 11:10, resolved 11:30, reopened (resolved cleared), still open.
    expect(timeToMitigate(incident({ startedAt: at('09:40'), mitigatedAt: at('11:10'), resolvedAt: null }))).toBe(90 * 60);
  });
});

describe('time to resolve', () => {
  it('is started → resolved', () => {
    expect(timeToResolve(incident({ startedAt: at('09:40'), resolvedAt: at('12:40') }))).toBe(3 * 3_600);
  });

  it('leaves out an incident without a start time even when resolved', () => {
    expect(timeToResolve(incident({ resolvedAt: at('12:40') }))).toBeNull();
  });

  it('leaves out a reopened incident while it is open again', () => {
    expect(timeToResolve(incident({ startedAt: at('09:40'), mitigatedAt: at('11:10'), resolvedAt: null }))).toBeNull();
  });

  it('counts a reopened incident until its last resolution', () => {
    expect(timeToResolve(incident({ startedAt: at('09:40'), resolvedAt: at('09:40', '2026-03-03') }))).toBe(86_400);
  });

  it('uses a back-dated start as recorded', () => {
    // Started a day before it was declared (found late): the whole day counts.
    expect(timeToResolve(incident({ startedAt: at('10:00', '2026-03-01'), resolvedAt: at('11:00') }))).toBe(25 * 3_600);
  });
});

describe('percentiles', () => {
  it('interpolates between ranks like percentile_cont', () => {
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([10, 20, 30, 40], 0.9)).toBe(37);
    expect(percentile([5], 0.9)).toBe(5);
  });

  it('is null without values', () => {
    expect(percentile([], 0.5)).toBeNull();
  });

  it('sorts before reading ranks', () => {
    expect(percentile([40, 10, 30, 20], 0.5)).toBe(25);
  });

  it('gives median and p90 of the incidents that have the figure', () => {
    expect(distribution([60, null, 120, 180, null])).toEqual({ median: 120, p90: 168 });
    expect(distribution([null, null])).toEqual({ median: null, p90: null });
  });
});

describe('response target', () => {
  const now = at('23:00');
  it('is met when acknowledged within the target', () => {
    expect(responseTarget(incident({ acknowledgedAt: at('10:15') }), 15, now)).toBe('met');
  });

  it('is missed when acknowledged after the target', () => {
    expect(responseTarget(incident({ acknowledgedAt: at('10:16') }), 15, now)).toBe('missed');
  });

  it('counts from the first page when it came first', () => {
    expect(responseTarget(incident({ pagedAt: at('09:50'), acknowledgedAt: at('10:10') }), 15, now)).toBe('missed');
  });

  it('is missed when nobody acknowledged and the target passed, pending before that', () => {
    expect(responseTarget(incident({}), 15, now)).toBe('missed');
    expect(responseTarget(incident({}), 15, at('10:10'))).toBe('pending');
  });
});

describe('update cadence', () => {
  const now = at('23:00');
  it('judges each update against the one before it, the first against the declaration', () => {
    const resolved = incident({ resolvedAt: at('11:20') });
    // Cadence 30 min: 10:25 on time, 11:00 late (35 min), 11:20 on time; resolved 11:20.
    expect(updateCadence(resolved, [at('11:00'), at('10:25'), at('11:20')], 30, now)).toEqual({ onTime: 2, total: 3 });
  });

  it('adds one overdue update when a cadence passed without any before the resolution', () => {
    expect(updateCadence(incident({ resolvedAt: at('11:00') }), [at('10:20')], 30, now)).toEqual({ onTime: 1, total: 2 });
    expect(updateCadence(incident({ resolvedAt: at('12:00') }), [], 30, now)).toEqual({ onTime: 0, total: 1 });
  });

  it('owes nothing for an incident resolved within its first cadence', () => {
    expect(updateCadence(incident({ resolvedAt: at('10:20') }), [], 30, now)).toEqual({ onTime: 0, total: 0 });
  });

  it('counts an open incident up to now', () => {
    expect(updateCadence(incident({}), [at('10:10')], 30, at('10:30'))).toEqual({ onTime: 1, total: 1 });
    expect(updateCadence(incident({}), [at('10:10')], 30, at('10:41'))).toEqual({ onTime: 1, total: 2 });
  });
});

describe('review completion', () => {
  const resolvedAt = at('12:00', '2026-03-02');
  const now = at('12:00', '2026-03-20');
  it('is not counted for severities that need no review', () => {
    expect(reviewCompletion({ resolvedAt, reviewRequired: false }, null, now)).toBe('not_required');
  });

  it('is on time when published within 7 days of the resolution, late after', () => {
    expect(reviewCompletion({ resolvedAt, reviewRequired: true }, at('12:00', '2026-03-09'), now)).toBe('on_time');
    expect(reviewCompletion({ resolvedAt, reviewRequired: true }, at('12:01', '2026-03-09'), now)).toBe('late');
  });

  it('is missing once 7 days passed unpublished, not due before that or while open', () => {
    expect(reviewCompletion({ resolvedAt, reviewRequired: true }, null, now)).toBe('missing');
    expect(reviewCompletion({ resolvedAt, reviewRequired: true }, null, at('10:00', '2026-03-05'))).toBe('not_due');
    expect(reviewCompletion({ resolvedAt: null, reviewRequired: true }, null, now)).toBe('not_due');
  });

  it('counts a reopened incident from its last resolution', () => {
    // Published on the 4th; reopened and resolved again on the 10th: still within 7 days of that.
    expect(reviewCompletion({ resolvedAt: at('08:00', '2026-03-10'), reviewRequired: true }, at('12:00', '2026-03-04'), now)).toBe('on_time');
  });

  it('counts published over required', () => {
    expect(reviewCounts(['on_time', 'late', 'missing', 'not_due', 'not_required', 'on_time'])).toEqual({ published: 2, required: 4 });
  });
});

describe('action items', () => {
  const now = at('12:00', '2026-03-10');
  const item = (status: 'open' | 'done', dueDate: string | null, created: string) => ({ status, dueDate, createdAt: at('12:00', created), completedAt: status === 'done' ? now : null });
  it('is overdue only while open and after its due day', () => {
    expect(isOverdue(item('open', '2026-03-09', '2026-03-01'), now)).toBe(true);
    expect(isOverdue(item('open', '2026-03-10', '2026-03-01'), now)).toBe(false);
    expect(isOverdue(item('done', '2026-03-01', '2026-03-01'), now)).toBe(false);
    expect(isOverdue(item('open', null, '2026-03-01'), now)).toBe(false);
  });

  it('counts open, done, overdue and the median age of the open ones', () => {
    const counts = actionItemCounts([item('open', '2026-03-09', '2026-03-08'), item('open', null, '2026-03-04'), item('open', '2026-04-01', '2026-03-06'), item('done', '2026-03-01', '2026-03-01')], now);
    expect(counts).toEqual({ open: 3, done: 1, overdue: 1, medianOpenAgeSeconds: 4 * 86_400 });
  });
});

describe('impact', () => {
  const now = at('23:00');
  it('runs from the start to the mitigation', () => {
    expect(impactMinutes(incident({ startedAt: at('09:40'), mitigatedAt: at('10:40'), resolvedAt: at('12:00') }), now)).toBe(60);
  });

  it('falls back to the declaration, the resolution and now', () => {
    expect(impactMinutes(incident({ resolvedAt: at('10:30') }), now)).toBe(30);
    expect(impactMinutes(incident({}), at('10:45'))).toBe(45);
  });
});

describe('periods and buckets', () => {
  it('groups by the Monday of the ISO week or the first of the month, in UTC', () => {
    expect(periodOf(new Date('2026-03-08T23:59:00Z'), 'week')).toBe('2026-03-02'); // a Sunday
    expect(periodOf(new Date('2026-03-09T00:00:00Z'), 'week')).toBe('2026-03-09'); // a Monday
    expect(periodOf(new Date('2026-03-31T23:00:00Z'), 'month')).toBe('2026-03-01');
  });

  it('puts a time to resolve in the bucket it is under, bounds going up', () => {
    expect(resolveBucket(0)).toBe(0);
    expect(resolveBucket(15 * 60 - 1)).toBe(0);
    expect(resolveBucket(15 * 60)).toBe(1);
    expect(resolveBucket(10 * 86_400)).toBe(8);
  });
});

describe('working hours', () => {
  it('reads the wall clock of the time zone', () => {
    // Monday 2026-03-02 08:30 UTC is 09:30 in Berlin (inside) and 03:30 in New York (outside).
    expect(outsideWorkingHours(new Date('2026-03-02T08:30:00Z'), 'Europe/Berlin')).toBe(false);
    expect(outsideWorkingHours(new Date('2026-03-02T08:30:00Z'), 'America/New_York')).toBe(true);
  });

  it('counts weekends and the evening as outside', () => {
    expect(outsideWorkingHours(new Date('2026-03-07T12:00:00Z'), 'UTC')).toBe(true); // Saturday
    expect(outsideWorkingHours(new Date('2026-03-02T18:00:00Z'), 'UTC')).toBe(true);
    expect(outsideWorkingHours(new Date('2026-03-02T17:59:00Z'), 'UTC')).toBe(false);
  });
});

describe('pages per person', () => {
  const sent = (pageId: string, userId: string, iso: string, timeZone: string | null = null, status: 'succeeded' | 'failed' | 'cancelled' = 'succeeded') => ({ pageId, userId, status, at: new Date(iso), timeZone });

  it('counts a page once per person however many contact methods it used, and only pages that reached them', () => {
    const counts = pagesPerPerson([
      sent('p1', 'ann', '2026-03-02T10:00:00Z'),
      sent('p1', 'ann', '2026-03-02T10:02:00Z'), // the same page by a second method
      sent('p2', 'ann', '2026-03-02T11:00:00Z', null, 'failed'),
      sent('p3', 'ann', '2026-03-02T11:00:00Z', null, 'cancelled'),
      sent('p1', 'bob', '2026-03-02T10:05:00Z'),
    ]);
    expect(counts.get('ann')).toEqual({ pages: 1, outsideWorkingHours: 0 });
    expect(counts.get('bob')).toEqual({ pages: 1, outsideWorkingHours: 0 });
  });

  it('counts a page outside working hours in the schedule’s time zone, when any of its notifications was', () => {
    const counts = pagesPerPerson([
      // 08:30 UTC on a Monday: 09:30 in Berlin (inside), 03:30 in New York (outside).
      sent('p1', 'ann', '2026-03-02T08:30:00Z', 'Europe/Berlin'),
      sent('p1', 'bob', '2026-03-02T08:30:00Z', 'America/New_York'),
      // No schedule: UTC. 17:59 inside, then the same page by e-mail at 18:01, outside.
      sent('p2', 'cy', '2026-03-02T17:59:00Z'),
      sent('p2', 'cy', '2026-03-02T18:01:00Z'),
      sent('p3', 'cy', '2026-03-07T12:00:00Z'), // Saturday
    ]);
    expect(counts.get('ann')).toEqual({ pages: 1, outsideWorkingHours: 0 });
    expect(counts.get('bob')).toEqual({ pages: 1, outsideWorkingHours: 1 });
    expect(counts.get('cy')).toEqual({ pages: 2, outsideWorkingHours: 2 });
  });
});

describe('alert figures', () => {
  const alert = (facts: Partial<AlertFacts>): AlertFacts => ({
    source: 'prometheus',
    title: 'High CPU on db-1',
    labels: {},
    count: 1,
    incidentId: null,
    startsAt: at('09:50'),
    receivedAt: at('09:51'),
    ...facts,
  });

  it('names an alert by its alertname label, else by its title', () => {
    expect(alertName(alert({ labels: { alertname: 'HighCPU' } }))).toBe('HighCPU');
    expect(alertName(alert({ labels: { alertname: '  HighCPU\n' } }))).toBe('HighCPU');
    expect(alertName(alert({ labels: { alertname: '   ' } }))).toBe('High CPU on db-1');
    expect(alertName(alert({}))).toBe('High CPU on db-1');
  });

  it('ranks sources and names by every report (repeats included), counting firings and distinct incidents', () => {
    const ranked = noisiestAlerts([
      // One rule on three hosts: one row, not three, because the alertname groups them.
      alert({ labels: { alertname: 'HighCPU' }, title: 'High CPU on db-1', count: 5, incidentId: 'i1' }),
      alert({ labels: { alertname: 'HighCPU' }, title: 'High CPU on db-2', count: 3, incidentId: 'i1' }),
      alert({ labels: { alertname: 'HighCPU' }, title: 'High CPU on db-3', count: 1, incidentId: 'i2' }),
      // The same name from another source is another row.
      alert({ source: 'grafana', labels: { alertname: 'HighCPU' }, count: 9 }),
      // Fewer firings but more reports ranks above one with more firings.
      alert({ title: 'Disk full', count: 4 }),
      alert({ title: 'Flapping probe', count: 1 }),
      alert({ title: 'Flapping probe', count: 1 }),
    ]);
    expect(ranked).toEqual([
      { source: 'prometheus', name: 'HighCPU', occurrences: 9, alerts: 3, incidents: 2 },
      { source: 'grafana', name: 'HighCPU', occurrences: 9, alerts: 1, incidents: 0 },
      { source: 'prometheus', name: 'Disk full', occurrences: 4, alerts: 1, incidents: 0 },
      { source: 'prometheus', name: 'Flapping probe', occurrences: 2, alerts: 2, incidents: 0 },
    ]);
  });

  it('keeps the first ten, breaking ties by incidents, then source and name', () => {
    const many = Array.from({ length: 12 }, (_, i) => alert({ title: `Alert ${String(i).padStart(2, '0')}`, count: 2 }));
    const ranked = noisiestAlerts([...many, alert({ title: 'Alert 11', incidentId: 'i9', count: 0 })]);
    expect(ranked).toHaveLength(10);
    // Alert 11 ties on occurrences (2) but was linked to an incident: it goes first.
    expect(ranked.map((a) => a.name)).toEqual(['Alert 11', 'Alert 00', 'Alert 01', 'Alert 02', 'Alert 03', 'Alert 04', 'Alert 05', 'Alert 06', 'Alert 07', 'Alert 08']);
  });

  it('says an incident started from an alert when a linked alert fired (or arrived) by its declaration', () => {
    const declared = { declaredAt: at('10:00') };
    expect(startedFromAlert(declared, [alert({ startsAt: at('09:50'), receivedAt: at('09:51') })])).toBe(true);
    // The sender's clock runs late, but Sitrep had it before the declaration.
    expect(startedFromAlert(declared, [alert({ startsAt: at('10:03'), receivedAt: at('09:59') })])).toBe(true);
    expect(startedFromAlert(declared, [alert({ startsAt: at('10:00'), receivedAt: at('10:00') })])).toBe(true);
    // A recurrence after the incident was under way is not how it started.
    expect(startedFromAlert(declared, [alert({ startsAt: at('10:30'), receivedAt: at('10:30') })])).toBe(false);
    expect(startedFromAlert(declared, [])).toBe(false);
  });

  it('takes the median and p90 of alerts per incident over every incident, those without alerts as 0', () => {
    const linked = (n: number, hhmm = '09:00') => Array.from({ length: n }, () => alert({ startsAt: at(hhmm), receivedAt: at(hhmm) }));
    const figure = alertsPerIncident([
      { declaredAt: at('10:00'), alerts: linked(0) },
      { declaredAt: at('10:00'), alerts: linked(1) },
      { declaredAt: at('10:00'), alerts: linked(2, '11:00') },
      { declaredAt: at('10:00'), alerts: linked(8) },
    ]);
    // Sorted 0, 1, 2, 8: median 1.5 → 2 (rounded as SQL rounds), p90 at rank 2.7: 2 + 0.7 × 6 = 6.2 → 6.
    expect(figure).toEqual({ median: 2, p90: 6, incidents: 4, withAlerts: 3, startedFromAlert: 2 });
    expect(alertsPerIncident([])).toEqual({ median: null, p90: null, incidents: 0, withAlerts: 0, startedFromAlert: 0 });
  });
});

describe('percentiles of repeated values', () => {
  it('answer as percentile does over the values spelled out', () => {
    const cases = [
      [{ value: 0, times: 3 }, { value: 1, times: 2 }, { value: 3, times: 1 }],
      [{ value: 5, times: 1 }],
      [{ value: 2, times: 1 }, { value: 0, times: 97 }, { value: 40, times: 2 }],
      [{ value: 7, times: 4 }, { value: 1, times: 0 }, { value: 9, times: 5 }],
    ];
    for (const counts of cases) {
      const spelled = counts.flatMap((c) => Array.from({ length: c.times }, () => c.value));
      for (const p of [0, 0.1, 0.5, 0.9, 0.99, 1]) expect(percentileOfCounts(counts, p), `${JSON.stringify(counts)} at ${p}`).toBe(percentile(spelled, p));
    }
  });

  it('has no answer for no values', () => {
    expect(percentileOfCounts([], 0.5)).toBeNull();
    expect(percentileOfCounts([{ value: 3, times: 0 }], 0.5)).toBeNull();
  });
});
