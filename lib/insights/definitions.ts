// THE DEFINITIONS OF EVERY INSIGHTS FIGURE, as pure functions over one incident's facts. The
// SQL in queries.ts computes the same figures over many incidents at once; the integration test
// (tests/integration/insights.test.ts) holds the two to the same answers on a hand-made data
// set, and the README quotes `figureDefinitions` below. Change a rule here, there and in the
// README together.
//
// Rules every span follows:
// - A span needs both of its times; an incident lacking either is left out of that figure
//   (an incident declared without a start time has no time to detect, mitigate or resolve).
// - A span whose end was recorded before its start (times corrected into an impossible order,
//   e.g. an acknowledgement back-dated before the declaration) counts as 0: it happened at once.
// - A reopened incident is resolved when it was last resolved (reopening clears the time); one
//   that is open again has no time to resolve until it is resolved again. Its time to mitigate
//   stays the first mitigation.

export type Seconds = number;

/** The facts of an incident the figures read. Times as Dates; null when not (yet) reached. */
export type IncidentFacts = {
  startedAt: Date | null;
  detectedAt: Date | null;
  declaredAt: Date;
  /** The first page sent for the incident (on-call), when paging exists and paged it. */
  pagedAt?: Date | null;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
};

/** Seconds from `from` to `to`; null when either is missing, 0 when `to` comes first. */
export function span(from: Date | null | undefined, to: Date | null | undefined): Seconds | null {
  if (!from || !to) return null;
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}

/** When responding started to be owed: the declaration, or the first page when that came earlier. */
export function responseClockStart(incident: Pick<IncidentFacts, 'declaredAt' | 'pagedAt'>): Date {
  return incident.pagedAt && incident.pagedAt < incident.declaredAt ? incident.pagedAt : incident.declaredAt;
}

/** Time to detect: started → detected. */
export const timeToDetect = (i: IncidentFacts): Seconds | null => span(i.startedAt, i.detectedAt);
/** Time to acknowledge: declared (or first paged, when earlier) → acknowledged. */
export const timeToAcknowledge = (i: IncidentFacts): Seconds | null => (i.acknowledgedAt ? span(responseClockStart(i), i.acknowledgedAt) : null);
/** Time to mitigate: started → mitigated. */
export const timeToMitigate = (i: IncidentFacts): Seconds | null => span(i.startedAt, i.mitigatedAt);
/** Time to resolve: started → resolved. */
export const timeToResolve = (i: IncidentFacts): Seconds | null => span(i.startedAt, i.resolvedAt);

/**
 * The p-th percentile (0 ≤ p ≤ 1) by linear interpolation between the closest ranks, as
 * PostgreSQL's percentile_cont computes it; null for no values. Rounded to whole seconds.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return Math.round(sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low));
}

/**
 * `percentile` of the values given as how often each occurs ({value: 3, times: 40} is forty 3s):
 * the same answer without spelling the values out, for figures where most values repeat (alerts
 * per incident is mostly 0, 1 or 2 over thousands of incidents).
 */
export function percentileOfCounts(counts: readonly { value: number; times: number }[], p: number): number | null {
  const sorted = counts.filter((c) => c.times > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, c) => sum + c.times, 0);
  if (!total) return null;
  const rank = p * (total - 1);
  // The value at a 0-based position of the spelled-out, sorted values.
  const at = (position: number) => {
    let seen = 0;
    for (const c of sorted) {
      seen += c.times;
      if (position < seen) return c.value;
    }
    return sorted[sorted.length - 1]!.value;
  };
  const low = at(Math.floor(rank));
  const high = at(Math.ceil(rank));
  return Math.round(low + (high - low) * (rank - Math.floor(rank)));
}

export type Distribution = { median: Seconds | null; p90: Seconds | null };

/** Median and p90 of the values that exist (nulls are the incidents left out). */
export function distribution(values: readonly (number | null)[]): Distribution {
  const present = values.filter((v): v is number => v !== null);
  return { median: percentile(present, 0.5), p90: percentile(present, 0.9) };
}

export type ResponseVerdict = 'met' | 'missed' | 'pending';

/**
 * Response target: acknowledged within the severity's response target, counted from the
 * declaration (or first page). An incident nobody acknowledged is missed once the target has
 * passed and still pending before that (pending ones are not counted yet).
 */
export function responseTarget(incident: Pick<IncidentFacts, 'declaredAt' | 'pagedAt' | 'acknowledgedAt'>, targetMinutes: number, now: Date): ResponseVerdict {
  const deadline = responseClockStart(incident).getTime() + targetMinutes * 60_000;
  if (incident.acknowledgedAt) return incident.acknowledgedAt.getTime() <= deadline ? 'met' : 'missed';
  return now.getTime() > deadline ? 'missed' : 'pending';
}

/**
 * Update cadence: each status update (any audience) is on time when it was posted within the
 * severity's cadence of the update before it (of the declaration, for the first). An incident
 * that went a whole cadence without any update before it was resolved (or until now, while it
 * is open) adds one overdue update that was never posted.
 */
export function updateCadence(
  incident: Pick<IncidentFacts, 'declaredAt' | 'resolvedAt'>,
  updatesPostedAt: readonly Date[],
  cadenceMinutes: number,
  now: Date,
): { onTime: number; total: number } {
  const cadence = cadenceMinutes * 60_000;
  const posted = [...updatesPostedAt].sort((a, b) => a.getTime() - b.getTime());
  let previous = incident.declaredAt.getTime();
  let onTime = 0;
  for (const at of posted) {
    if (at.getTime() <= previous + cadence) onTime++;
    previous = at.getTime();
  }
  const end = (incident.resolvedAt ?? now).getTime();
  const missedLast = previous + cadence < end ? 1 : 0;
  return { onTime, total: posted.length + missedLast };
}

/** Reviews are due this many days after the incident is resolved. */
export const REVIEW_DUE_DAYS = 7;

export type ReviewVerdict = 'not_required' | 'not_due' | 'on_time' | 'late' | 'missing';

/**
 * Review completion, for severities that require a review: published within REVIEW_DUE_DAYS of
 * the (last) resolution is on time; published later is late; unpublished once that time has
 * passed is missing; unpublished before that is not due yet and not counted. Open incidents
 * are not due.
 */
export function reviewCompletion(
  incident: Pick<IncidentFacts, 'resolvedAt'> & { reviewRequired: boolean },
  publishedAt: Date | null,
  now: Date,
): ReviewVerdict {
  if (!incident.reviewRequired) return 'not_required';
  if (!incident.resolvedAt) return 'not_due';
  const due = incident.resolvedAt.getTime() + REVIEW_DUE_DAYS * 86_400_000;
  if (publishedAt) return publishedAt.getTime() <= due ? 'on_time' : 'late';
  return now.getTime() > due ? 'missing' : 'not_due';
}

/** Counted in "reviews published / required": on time is published; every verdict but not_required and not_due is required. */
export function reviewCounts(verdicts: readonly ReviewVerdict[]): { published: number; required: number } {
  return {
    published: verdicts.filter((v) => v === 'on_time').length,
    required: verdicts.filter((v) => v === 'on_time' || v === 'late' || v === 'missing').length,
  };
}

export type ActionItemFacts = { status: 'open' | 'done'; dueDate: string | null; createdAt: Date; completedAt: Date | null };

/** Overdue: still open after its due date (a YYYY-MM-DD day, UTC); due today is not overdue yet. */
export function isOverdue(item: Pick<ActionItemFacts, 'status' | 'dueDate'>, now: Date): boolean {
  return item.status === 'open' && item.dueDate !== null && item.dueDate < now.toISOString().slice(0, 10);
}

/** Age of an open action item: created → now. Done items have no age. */
export function actionItemAge(item: ActionItemFacts, now: Date): Seconds | null {
  return item.status === 'open' ? span(item.createdAt, now) : null;
}

/** Open, done and overdue counts, and the median age of the open ones. */
export function actionItemCounts(items: readonly ActionItemFacts[], now: Date): { open: number; done: number; overdue: number; medianOpenAgeSeconds: Seconds | null } {
  return {
    open: items.filter((i) => i.status === 'open').length,
    done: items.filter((i) => i.status === 'done').length,
    overdue: items.filter((i) => isOverdue(i, now)).length,
    medianOpenAgeSeconds: percentile(
      items.map((i) => actionItemAge(i, now)).filter((a): a is number => a !== null),
      0.5,
    ),
  };
}

/**
 * Minutes of impact: from the start (the declaration when no start was recorded) to the
 * mitigation (the resolution when it was never mitigated; now while neither happened).
 * Counted for every service the incident lists.
 */
export function impactMinutes(incident: IncidentFacts, now: Date): number {
  const from = incident.startedAt ?? incident.declaredAt;
  const to = incident.mitigatedAt ?? incident.resolvedAt ?? now;
  return Math.round((span(from, to) ?? 0) / 60);
}

export type GroupBy = 'week' | 'month';

/** The period an incident counts in, by its declaration (UTC): the Monday of its ISO week, or the 1st of its month, as YYYY-MM-DD. */
export function periodOf(declaredAt: Date, groupBy: GroupBy): string {
  const day = new Date(Date.UTC(declaredAt.getUTCFullYear(), declaredAt.getUTCMonth(), groupBy === 'month' ? 1 : declaredAt.getUTCDate()));
  if (groupBy === 'week') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** Buckets of the time-to-resolve chart: upper bounds in seconds (the last is open-ended). */
export const resolveBuckets: { label: string; upTo: Seconds | null }[] = [
  { label: '< 15 min', upTo: 15 * 60 },
  { label: '15–30 min', upTo: 30 * 60 },
  { label: '30 min–1 h', upTo: 3_600 },
  { label: '1–2 h', upTo: 2 * 3_600 },
  { label: '2–4 h', upTo: 4 * 3_600 },
  { label: '4–8 h', upTo: 8 * 3_600 },
  { label: '8–24 h', upTo: 24 * 3_600 },
  { label: '1–3 d', upTo: 3 * 86_400 },
  { label: '> 3 d', upTo: null },
];

/** The bucket (index into resolveBuckets) a time to resolve falls in; a bound belongs to the bucket below it. */
export function resolveBucket(seconds: Seconds): number {
  const index = resolveBuckets.findIndex((b) => b.upTo !== null && seconds < b.upTo);
  return index === -1 ? resolveBuckets.length - 1 : index;
}

/** Working hours for on-call load: Monday to Friday, 09:00 to 18:00 in the person's schedule's time zone. */
export const WORKING_HOURS = { from: 9, to: 18, days: [1, 2, 3, 4, 5] } as const;

/** Whether a moment, seen as the wall clock of `timeZone`, is outside working hours. */
export function outsideWorkingHours(at: Date, timeZone: string): boolean {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).formatToParts(at);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.find((p) => p.type === 'weekday')!.value);
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  return !(WORKING_HOURS.days as readonly number[]).includes(weekday) || hour < WORKING_HOURS.from || hour >= WORKING_HOURS.to;
}

/** A page's notification to one person (lib/oncall's page_notifications), as the pages figure reads it. */
export type PageNotificationFacts = {
  pageId: string;
  userId: string;
  status: 'pending' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
  /** When it was sent (or due, when the ledger has no completion time). */
  at: Date;
  /** The time zone of the first schedule (by name) the person takes part in; UTC when none. */
  timeZone: string | null;
};

/**
 * Pages per person: the pages that reached each person (a notification of theirs succeeded), a
 * page counted once however many contact methods it used; and how many of those reached them
 * outside working hours (any of its notifications did). Failed and cancelled ones reached nobody.
 */
export function pagesPerPerson(notifications: PageNotificationFacts[]): Map<string, { pages: number; outsideWorkingHours: number }> {
  const reached = new Map<string, Map<string, boolean>>();
  for (const n of notifications) {
    if (n.status !== 'succeeded') continue;
    const pages = reached.get(n.userId) ?? new Map<string, boolean>();
    pages.set(n.pageId, (pages.get(n.pageId) ?? false) || outsideWorkingHours(n.at, n.timeZone ?? 'UTC'));
    reached.set(n.userId, pages);
  }
  return new Map([...reached].map(([userId, pages]) => [userId, { pages: pages.size, outsideWorkingHours: [...pages.values()].filter(Boolean).length }]));
}

/** An alert as the alert figures read it (lib/alerts' alerts rows). */
export type AlertFacts = {
  /** The alert source's name. */
  source: string;
  title: string;
  labels: Record<string, string>;
  /** How many times the sender reported it while it fired (1 = once). */
  count: number;
  /** The incident it is linked to; null when none, or one the viewer may not see. */
  incidentId: string | null;
  /** When the sender says it started firing, and when Sitrep first received it. */
  startsAt: Date;
  receivedAt: Date;
};

/**
 * What an alert is called in the noisiest-alerts figure: its `alertname` label when the sender
 * gives one (Alertmanager, Grafana), else its title. The name, not the title, because titles
 * often carry the instance ("High CPU on db-3") and would split one noisy rule into many rows.
 */
export function alertName(alert: Pick<AlertFacts, 'title' | 'labels'>): string {
  return alert.labels.alertname?.trim() || alert.title;
}

export type NoisyAlert = { source: string; name: string; occurrences: number; alerts: number; incidents: number };

/** How many rows the noisiest-alerts figure keeps. */
export const NOISIEST_ALERTS = 10;

/**
 * Noisiest alerts: the alerts received in the range grouped by source and name (alertName),
 * ranked by occurrences (every report counted: the sum of their counts), then by incidents, then
 * by source and name; with how many alerts (firings) that was and how many distinct incidents
 * they were linked to. Silenced alerts and alerts that never became an incident count: they are
 * noise too.
 */
export function noisiestAlerts(alerts: readonly AlertFacts[], limit = NOISIEST_ALERTS): NoisyAlert[] {
  const groups = new Map<string, { source: string; name: string; occurrences: number; alerts: number; incidents: Set<string> }>();
  for (const alert of alerts) {
    const name = alertName(alert);
    const key = JSON.stringify([alert.source, name]);
    const group = groups.get(key) ?? { source: alert.source, name, occurrences: 0, alerts: 0, incidents: new Set<string>() };
    group.occurrences += alert.count;
    group.alerts += 1;
    if (alert.incidentId) group.incidents.add(alert.incidentId);
    groups.set(key, group);
  }
  // Compared by code point, as PostgreSQL's "C" collation orders the SQL's tie-break.
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.values()]
    .map((g) => ({ source: g.source, name: g.name, occurrences: g.occurrences, alerts: g.alerts, incidents: g.incidents.size }))
    .sort((a, b) => b.occurrences - a.occurrences || b.incidents - a.incidents || text(a.source, b.source) || text(a.name, b.name))
    .slice(0, limit);
}

/**
 * Started from an alert: an alert linked to the incident was firing by the time it was declared
 * (it started, or Sitrep received it, no later than the declaration). Incidents the dispatcher
 * declared from an alert always are; so is one declared by hand about an alert and linked to it
 * afterwards. An alert that fired only later (a recurrence after the resolution) is not a start.
 */
export function startedFromAlert(incident: Pick<IncidentFacts, 'declaredAt'>, linked: readonly Pick<AlertFacts, 'startsAt' | 'receivedAt'>[]): boolean {
  return linked.some((alert) => Math.min(alert.startsAt.getTime(), alert.receivedAt.getTime()) <= incident.declaredAt.getTime());
}

/**
 * Alerts per incident: over every incident in scope (those with no alert count as 0), the median
 * and p90 of the alerts linked to it (firings, not repeats); how many had any alert; and how
 * many started from an alert.
 */
export function alertsPerIncident(incidents: readonly { declaredAt: Date; alerts: readonly Pick<AlertFacts, 'startsAt' | 'receivedAt'>[] }[]): {
  median: number | null;
  p90: number | null;
  incidents: number;
  withAlerts: number;
  startedFromAlert: number;
} {
  const counts = incidents.map((i) => i.alerts.length);
  return {
    median: percentile(counts, 0.5),
    p90: percentile(counts, 0.9),
    incidents: incidents.length,
    withAlerts: counts.filter((n) => n > 0).length,
    startedFromAlert: incidents.filter((i) => startedFromAlert(i, i.alerts)).length,
  };
}

/** What each figure means, shown on hover on /insights and quoted in the README. */
export const figureDefinitions = {
  incidents: 'Incidents declared in the range (by their declaration time), matching the filters.',
  mttd: 'Time to detect: from when the incident started to when it was detected. Median and 90th percentile; incidents without a start or detection time are left out.',
  mtta: 'Time to acknowledge: from the declaration (or the first page, when that came earlier) to the first acknowledgement. Median and 90th percentile of acknowledged incidents.',
  mttm: 'Time to mitigate: from when the incident started to when it was first mitigated (first moved to monitoring, or resolved). Incidents without a start time or not yet mitigated are left out.',
  mttr: 'Time to resolve: from when the incident started to its last resolution (a reopened incident counts until it was resolved again). Incidents without a start time or still open are left out.',
  responseTarget: 'Acknowledged within the response target of the incident’s severity (SEV1 15 min by default), counted from the declaration or first page. Unacknowledged incidents count as missed once the target has passed.',
  updateCadence: 'Status updates posted within the severity’s update cadence of the previous update (or of the declaration). A cadence that passed with no update before the incident was resolved counts as one overdue update.',
  reviews: `Of the incidents whose severity requires a review, resolved at least ${REVIEW_DUE_DAYS} days ago or already reviewed: how many had their review published within ${REVIEW_DUE_DAYS} days of the resolution.`,
  actionItems: 'Follow-ups of the incidents in the range: still open, done, and overdue (open past their due date); the age is the median time the open ones have been open.',
  impact: 'Minutes from the start (or the declaration) to the mitigation (or the resolution; until now while neither happened), counted for each service the incident lists.',
  pages: 'Pages that reached each person (a notification succeeded) about the incidents in the range, each page counted once, and how many reached them outside working hours: Monday–Friday 09:00–18:00 in the time zone of the first schedule they take part in (UTC when none).',
  noisiestAlerts: `Alerts received in the range (silenced ones and ones that became no incident included), grouped by source and alert name (the alertname label, else the title), the ${NOISIEST_ALERTS} reported most often: occurrences count every repeat the sender sent, alerts count firings, incidents count the distinct incidents they were linked to. Severity and service filter the alert’s own mapped severity and routed service.`,
  alertsPerIncident: 'Alerts linked to each incident in the range (firings, not repeats; incidents without alerts count as 0), median and 90th percentile; and how many incidents started from an alert: one linked to it was firing by the time it was declared.',
} as const;

export type FigureKey = keyof typeof figureDefinitions;
