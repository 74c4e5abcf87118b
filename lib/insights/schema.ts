import { z } from 'zod';
import { severityKeySchema } from '@/lib/incidents/schema';

export const rangeOptions = ['30', '90', '365', 'custom'] as const;
export type RangeOption = (typeof rangeOptions)[number];

/** Figures whose incidents the CSV export can be narrowed to. */
// alerts: incidents with a linked alert; pages: incidents someone was paged about.
export const csvFigures = ['incidents', 'mttd', 'mtta', 'mttm', 'mttr', 'responseTarget', 'updateCadence', 'reviews', 'actionItems', 'alerts', 'pages'] as const;
export type CsvFigure = (typeof csvFigures)[number];

// A day (2026-03-01) or a time (2026-03-01T10:00:00Z). A day given as `to` includes that whole day.
const moment = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, 'Use a day (2026-03-01) or an ISO-8601 time (2026-03-01T10:00:00Z)')
  .refine((value) => {
    // Date.parse rolls 2026-02-30 over into March; a real day reads back as itself.
    const parsed = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    return !Number.isNaN(parsed.getTime()) && (value.length !== 10 || parsed.toISOString().startsWith(value));
  }, 'That date does not exist');

/** The filters of /insights, its API and its CSV export, as they come from a query string. */
export const insightsQuerySchema = z.object({
  range: z.enum(rangeOptions, { error: 'range is 30, 90, 365 or custom (days)' }).optional(),
  from: moment.optional(),
  to: moment.optional(),
  severity: severityKeySchema.optional(),
  service: z.string().trim().min(1, 'Name a service').max(80, 'Service names are under 80 characters').optional(),
  groupBy: z.enum(['week', 'month'], { error: 'groupBy is week or month' }).optional(),
});
export type InsightsQuery = z.input<typeof insightsQuerySchema>;

export const insightsCsvQuerySchema = insightsQuerySchema.extend({
  figure: z.enum(csvFigures, { error: `figure is one of ${csvFigures.join(', ')}` }).optional(),
});

/** The filters, resolved: a half-open range [from, to) of declaration times. */
export type InsightsFilter = {
  range: RangeOption;
  from: Date;
  to: Date;
  severity: string | null;
  service: string | null;
  groupBy: 'week' | 'month';
};

/** At most this long a range: five years of weeks is already 260 bars. */
const MAX_RANGE_DAYS = 5 * 366;

/**
 * Turns parsed query values into the range the figures cover. `range` counts back from now
 * (default 90 days); `from`/`to` make it custom (`to` defaults to now, `from` to 90 days before
 * `to`). Returns every problem at once, each naming its field.
 */
export function resolveFilter(query: z.output<typeof insightsQuerySchema>, now: Date): { filter: InsightsFilter } | { errors: { path: string; message: string }[] } {
  const errors: { path: string; message: string }[] = [];
  const day = 86_400_000;
  const parse = (value: string, end: boolean) => (value.length === 10 ? new Date(Date.parse(`${value}T00:00:00Z`) + (end ? day : 0)) : new Date(value));
  const custom = query.range === 'custom' || (query.range === undefined && Boolean(query.from || query.to));
  let to = now;
  let from: Date;
  if (custom) {
    if (query.to) to = parse(query.to, true);
    from = query.from ? parse(query.from, false) : new Date(to.getTime() - 90 * day);
    if (query.range === 'custom' && !query.from) errors.push({ path: 'from', message: 'A custom range needs a start day (from)' });
  } else {
    from = new Date(now.getTime() - Number(query.range ?? '90') * day);
  }
  if (from >= to) errors.push({ path: 'to', message: 'The end of the range must come after its start' });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * day) errors.push({ path: 'from', message: 'Choose a range of at most five years' });
  if (errors.length) return { errors };
  const groupBy = query.groupBy ?? (to.getTime() - from.getTime() > 120 * day ? 'month' : 'week');
  return { filter: { range: custom ? 'custom' : (query.range ?? '90'), from, to, severity: query.severity ?? null, service: query.service ?? null, groupBy } };
}

/** The last 90 days: what /insights shows when its filters say nothing (or nothing valid). */
export function defaultFilter(now: Date): InsightsFilter {
  const resolved = resolveFilter({}, now);
  if ('errors' in resolved) throw new Error('The default range is always valid');
  return resolved.filter;
}

const distribution = z.object({ median: z.number().int().nullable(), p90: z.number().int().nullable() }).describe('Seconds; null when no incident has the figure');

export const insightsSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    groupBy: z.enum(['week', 'month']),
    filters: z.object({ severity: z.string().nullable(), service: z.string().nullable() }),
    totals: z.object({
      incidents: z.number().int(),
      mttd: distribution,
      mtta: distribution,
      mttm: distribution,
      mttr: distribution,
      responseTargetMet: z.object({
        met: z.number().int(),
        total: z.number().int(),
        bySeverity: z.record(z.string(), z.object({ met: z.number().int(), total: z.number().int(), targetMinutes: z.number().int() })),
      }),
      updatesOnTime: z.object({ onTime: z.number().int(), total: z.number().int() }),
      reviewsPublished: z.object({ published: z.number().int(), required: z.number().int(), withinDays: z.number().int() }),
      actionItems: z.object({ open: z.number().int(), done: z.number().int(), overdue: z.number().int(), medianOpenAgeSeconds: z.number().int().nullable() }),
      alertsPerIncident: z
        .object({
          median: z.number().int().nullable(),
          p90: z.number().int().nullable(),
          incidents: z.number().int(),
          withAlerts: z.number().int(),
          startedFromAlert: z.number().int(),
        })
        .describe('Alerts linked to each incident in scope (0 for none): median and p90 (null when no incident); how many incidents had any alert, and how many started from one'),
    }),
    series: z.array(
      z.object({
        period: z.string().describe('YYYY-MM-DD: the Monday of the week or the first of the month (UTC)'),
        incidents: z.number().int(),
        mttr: distribution,
        bySeverity: z.record(z.string(), z.number().int()),
      }),
    ),
    services: z.array(z.object({ service: z.string(), incidents: z.number().int(), impactMinutes: z.number().int() })),
    timeToResolve: z.array(z.object({ bucket: z.string(), incidents: z.number().int() })).describe('How many resolved incidents took how long'),
    calendar: z.array(z.object({ day: z.string(), incidents: z.number().int() })).describe('Incidents declared per day (UTC), days without any left out'),
    pages: z
      .array(z.object({ person: z.object({ email: z.string(), name: z.string() }), pages: z.number().int(), outsideWorkingHours: z.number().int() }))
      .describe('Pages that reached each person about the incidents in the range, most paged first; outside working hours in their schedule’s time zone'),
    noisiestAlerts: z
      .array(z.object({ source: z.string(), name: z.string(), occurrences: z.number().int(), alerts: z.number().int(), incidents: z.number().int() }))
      .describe('The 10 alerts (by source and alertname, else title) reported most often among those received in the range; incidents counts only incidents the caller may see'),
  })
  .meta({ id: 'Insights' });
export type InsightsDto = z.infer<typeof insightsSchema>;

export const relatedIncidentSchema = z
  .object({
    number: z.number().int(),
    key: z.string(),
    title: z.string(),
    severity: z.string(),
    services: z.array(z.string()),
    sharedServices: z.array(z.string()),
    status: z.string(),
    declaredAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
    timeToResolveSeconds: z.number().int().nullable(),
    rootCause: z.string().nullable().describe('The first paragraph of its review’s root cause, once someone wrote it'),
    openActionItems: z.array(z.object({ id: z.uuid(), title: z.string(), owner: z.object({ email: z.string(), name: z.string() }).nullable(), dueDate: z.string().nullable(), overdue: z.boolean() })),
  })
  .meta({ id: 'RelatedIncident' });
export type RelatedIncidentDto = z.infer<typeof relatedIncidentSchema>;

export const runbookFeedbackSchema = z
  .object({
    runbook: z.object({ id: z.uuid(), title: z.string(), version: z.number().int() }),
    checklists: z.number().int().describe('Checklists made from any version of the runbook'),
    skipped: z.array(z.object({ stepTitle: z.string(), count: z.number().int(), of: z.number().int(), notes: z.array(z.string()), incidents: z.array(z.number().int()) })),
    added: z.array(z.object({ title: z.string(), phase: z.string(), count: z.number().int(), incidents: z.array(z.number().int()), afterStep: z.string().nullable() })),
    slowest: z.array(z.object({ stepTitle: z.string(), medianSeconds: z.number().int(), samples: z.number().int() })),
    outsideActions: z.array(z.object({ action: z.string(), actionId: z.uuid(), count: z.number().int(), incidents: z.array(z.number().int()) })),
  })
  .meta({ id: 'RunbookFeedback' });
export type RunbookFeedbackDto = z.infer<typeof runbookFeedbackSchema>;
