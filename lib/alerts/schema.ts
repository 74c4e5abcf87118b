// The shapes of alerts, alert sources and silences as forms, actions and the API see them (API.md
// "Alerts"). The payload parsers, matchers, routing and silence rules are in their own files.
import { z } from 'zod';
import { alertSourceKinds } from '@/lib/alerts/payloads/common';
import { defaultSeverityMapping, routesSchema, severityMappingSchema } from '@/lib/alerts/routing';
import { severityKeySchema, titleSchema } from '@/lib/incidents/schema';

export { alertSourceKinds, type AlertSourceKind } from '@/lib/alerts/payloads/common';

export const alertStatuses = ['firing', 'acknowledged', 'silenced', 'resolved'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

/** Statuses of an alert that still needs someone (or a silence ending). */
export const unresolvedStatuses = ['firing', 'acknowledged', 'silenced'] as const satisfies readonly AlertStatus[];

export { kindNames } from '@/lib/alerts/kinds';

/** 1 MiB: API.md's limit for one ingest request, checked before the body is buffered. */
export const MAX_INGEST_BYTES = 1_048_576;

// ---- Sources ----------------------------------------------------------------------------------

const sourceName = z
  .string({ error: 'Give the source a name, e.g. "Prometheus production"' })
  .trim()
  .min(2, 'Give the source a name of at least 2 characters, e.g. "Prometheus production"')
  .max(80, 'Keep the name under 80 characters');

export const sourceInputSchema = z.object({
  name: sourceName,
  kind: z.enum(alertSourceKinds, { error: `kind is one of ${alertSourceKinds.join(', ')}` }),
  routes: routesSchema.optional(),
  /** How the alert's `severity`/`priority` label maps to Sitrep severities; left out: the defaults. */
  severityMapping: severityMappingSchema.nullable().optional(),
});
export type SourceInput = z.input<typeof sourceInputSchema>;

/** PUT replaces the source's settings; its token stays (rotate it with rotate-token). */
export const sourceUpdateSchema = sourceInputSchema.extend({
  routes: routesSchema,
  version: z.number({ error: 'version is the version you edited' }).int().positive().optional(),
});
export type SourceUpdate = z.input<typeof sourceUpdateSchema>;

const routeOutputSchema = z.object({
  match: z.record(z.string(), z.string()),
  policyId: z.string().nullable().optional(),
  severity: z.string().optional(),
  service: z.string().optional(),
  declare: z.boolean(),
});

const severityMappingOutputSchema = z.object({ values: z.record(z.string(), z.string()), fallback: z.string() });

export const alertSourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(alertSourceKinds),
    routes: z.array(routeOutputSchema),
    severityMapping: severityMappingOutputSchema.describe('The mapping in force (the defaults when none was set)'),
    customSeverityMapping: z.boolean().describe('False while the defaults apply'),
    tokenHint: z.string().describe('The last characters of the token, to tell tokens apart'),
    ingestUrl: z.string().describe('Where the sender posts'),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    tokenRotatedAt: z.iso.datetime().nullable(),
    lastAlertAt: z.iso.datetime().nullable(),
    unresolvedAlerts: z.number().int(),
  })
  .meta({ id: 'AlertSource' });
export type AlertSourceDto = z.infer<typeof alertSourceSchema>;

export const createdSourceSchema = alertSourceSchema.extend({ token: z.string().describe('Shown this once; Sitrep keeps only its hash') });
export type CreatedSourceDto = z.infer<typeof createdSourceSchema>;

export { defaultSeverityMapping };

// ---- Alerts -----------------------------------------------------------------------------------

const linkSchema = z.object({ href: z.string(), text: z.string() });

export const alertSchema = z
  .object({
    id: z.uuid(),
    sourceId: z.uuid(),
    source: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(alertSourceKinds) }),
    fingerprint: z.string().describe('Identity within the source: fingerprint or dedup key'),
    status: z.enum(alertStatuses),
    title: z.string(),
    severity: z.string().describe('The Sitrep severity it maps to'),
    senderSeverity: z.string().nullable().describe('The sender’s own word, e.g. critical'),
    service: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
    links: z.array(linkSchema),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime().nullable(),
    firstSeenAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    count: z.number().int().describe('How many times the sender reported it while it fired'),
    groupKey: z.string(),
    groupId: z.uuid(),
    incident: z.object({ number: z.number().int(), key: z.string() }).nullable(),
    afterResolution: z.boolean().describe('It fired while its incident was already resolved (linked, never reopened)'),
    page: z.object({ id: z.uuid(), status: z.string() }).nullable(),
    runbook: z.object({ id: z.uuid(), title: z.string() }).nullable(),
    runbookUrl: z.string().nullable(),
    silence: z.object({ id: z.uuid(), comment: z.string(), endsAt: z.iso.datetime() }).nullable(),
    previousId: z.uuid().nullable().describe('The previous alert of the same identity (it fired before and resolved)'),
    firedThisWeek: z.number().int().describe('How many alerts of this identity started in the last 7 days, this one included'),
    acknowledgedAt: z.iso.datetime().nullable(),
    acknowledgedBy: z.object({ email: z.string(), name: z.string() }).nullable(),
    resolvedAt: z.iso.datetime().nullable(),
    resolvedBy: z.object({ email: z.string(), name: z.string() }).nullable().describe('null with a resolvedAt: the sender resolved it'),
    routing: z
      .object({ routeIndex: z.number().int().nullable(), reason: z.string().nullable(), policyId: z.string().nullable(), declare: z.boolean(), error: z.string().nullable() })
      .nullable()
      .describe('What its group’s route decided, once dispatched'),
  })
  .meta({ id: 'Alert' });
export type AlertDto = z.infer<typeof alertSchema>;

/** The short form inside an Incident: `alerts: [{id, status, title}]`. */
export const incidentAlertSchema = z.object({ id: z.uuid(), status: z.enum(alertStatuses), title: z.string() });

const labelFilter = z
  .string()
  .trim()
  .regex(/^[^=]{1,256}=.{0,1024}$/s, 'label is name=value, e.g. label=env=prod')
  .transform((text) => {
    const at = text.indexOf('=');
    return { name: text.slice(0, at), value: text.slice(at + 1) };
  });

export const alertListQuerySchema = z.object({
  status: z.enum(['open', ...alertStatuses], { error: `status is open (not resolved) or one of ${alertStatuses.join(', ')}` }).optional(),
  sourceId: z.uuid({ error: 'sourceId is an alert source id' }).optional(),
  q: z.string().trim().max(200, 'Keep the search under 200 characters').optional().describe('Searches the title, labels and annotations'),
  label: labelFilter.optional().describe('name=value: alerts carrying that label'),
  service: z.string().trim().max(80).optional(),
  incident: z
    .string()
    .trim()
    .regex(/^(?:INC-)?\d{1,9}$/i, 'incident is a number, e.g. 42 or INC-42')
    .transform((value) => Number(value.replace(/^INC-/i, '')))
    .optional()
    .describe('Alerts linked to this incident'),
  limit: z.coerce.number({ error: 'limit is a number' }).int().min(1, 'limit is at least 1').max(200, 'limit is at most 200').default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{10,200}$/, 'This cursor is not one Sitrep handed out; start again without it')
    .optional(),
});
export type AlertListQuery = z.output<typeof alertListQuerySchema>;

export const alertIdSchema = z.uuid({ error: 'Alert ids are UUIDs' });

export const declareFromAlertSchema = z.object({
  severity: severityKeySchema.optional(),
  title: titleSchema.optional(),
});
export type DeclareFromAlertInput = z.input<typeof declareFromAlertSchema>;

export const linkAlertSchema = z.object({ alertId: alertIdSchema });

// ---- Silences ---------------------------------------------------------------------------------

export const silenceStates = ['pending', 'active', 'expired'] as const;

export const silenceSchema = z
  .object({
    id: z.uuid(),
    matchers: z.record(z.string(), z.string()),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    comment: z.string(),
    state: z.enum(silenceStates),
    createdBy: z.object({ email: z.string(), name: z.string() }).nullable(),
    createdAt: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable().describe('When someone ended it early (DELETE)'),
    endedBy: z.object({ email: z.string(), name: z.string() }).nullable(),
    silencedAlerts: z.number().int().describe('Alerts it silences now (they fire again once it ends)'),
  })
  .meta({ id: 'AlertSilence' });
export type SilenceDto = z.infer<typeof silenceSchema>;

// ---- Ingest answers ---------------------------------------------------------------------------

export const ingestResultSchema = z.object({
  alerts: z.array(
    z.object({
      id: z.uuid(),
      fingerprint: z.string(),
      status: z.enum(alertStatuses),
      created: z.boolean().describe('false: a repeat (count + 1), a resolve, or a stale notification of an alert already resolved'),
    }),
  ),
  rejected: z.array(z.object({ index: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })).describe('Alerts of the batch that could not be read; the others were stored'),
  truncatedAlerts: z.number().int().describe('Alerts the sender left out of the payload (Alertmanager max_alerts)'),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;

export const pagerDutyAnswerSchema = z.object({ status: z.literal('success'), message: z.string(), dedup_key: z.string() });
