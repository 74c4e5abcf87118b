import { z } from 'zod';
import { alertmanagerAlertSchema, alertmanagerPayloadSchema } from '@/lib/alerts/payloads/alertmanager';
import { genericAlertSchema } from '@/lib/alerts/payloads/generic';
import { grafanaAlertSchema, grafanaPayloadSchema } from '@/lib/alerts/payloads/grafana';
import { pagerDutyEventSchema } from '@/lib/alerts/payloads/pagerduty';
import { routesSchema } from '@/lib/alerts/routing';
import { silenceInputSchema } from '@/lib/alerts/silences';
import {
  alertListQuerySchema,
  alertSchema,
  alertSourceSchema,
  createdSourceSchema,
  declareFromAlertSchema,
  ingestResultSchema,
  linkAlertSchema,
  MAX_INGEST_BYTES,
  pagerDutyAnswerSchema,
  silenceSchema,
  sourceInputSchema,
  sourceUpdateSchema,
  type AlertSourceKind,
} from '@/lib/alerts/schema';
import { incidentNumberSchema, incidentSchema } from '@/lib/incidents/schema';
import { defineOperation } from '@/lib/platform/http/operation';
import { problemSchema } from '@/lib/platform/http/problem';

const tag = 'Alerts';
const idParams = z.object({ id: z.uuid({ error: 'Ids are UUIDs' }) });

// ---- Sources ----------------------------------------------------------------------------------

export const listSourcesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/alert-sources',
  summary: 'Alert sources (admin). Tokens are never returned, only `tokenHint`.',
  tag,
  permission: 'settings.manage',
  responses: { 200: { description: 'Sources', schema: z.object({ items: z.array(alertSourceSchema) }) } },
});

export const createSourceOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/alert-sources',
  summary:
    'Add an alert source (admin): `kind` alertmanager, grafana, pagerduty or generic, and `routes` tried in order (first match wins; a route with an empty `match` catches the rest). A match value is an exact string, `!value` (not equal) or `~regex` (anchored, RE2). The `token` is shown this once.',
  tag,
  permission: 'settings.manage',
  body: sourceInputSchema,
  responses: { 201: { description: 'The source, with its token', schema: createdSourceSchema } },
});

export const getSourceOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/alert-sources/{id}',
  summary: 'One alert source (admin). Its ETag is the version to send in If-Match when updating.',
  tag,
  permission: 'settings.manage',
  params: idParams,
  responses: { 200: { description: 'The source', schema: alertSourceSchema } },
});

export const updateSourceOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/alert-sources/{id}',
  summary: 'Replace a source’s name, kind, routes and severity mapping (admin); the token stays. Optional `If-Match: "<version>"`: 412 when someone saved it since.',
  tag,
  permission: 'settings.manage',
  params: idParams,
  body: sourceUpdateSchema,
  responses: { 200: { description: 'The saved source', schema: alertSourceSchema } },
});

export const deleteSourceOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/alert-sources/{id}',
  summary: 'Delete a source and its alerts (admin); incidents keep their timelines. Its token stops working at once.',
  tag,
  permission: 'settings.manage',
  params: idParams,
  responses: { 204: { description: 'Deleted' } },
});

export const rotateSourceTokenOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/alert-sources/{id}/rotate-token',
  summary: 'A new token for the source (admin), shown this once; the old one stops working at once.',
  tag,
  permission: 'settings.manage',
  params: idParams,
  responses: { 200: { description: 'The source, with its new token', schema: createdSourceSchema } },
});

export const testRouteOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/alert-sources/{id}/test-route',
  summary:
    'Which route each alert of a payload would take, and why, route by route (admin). Nothing is stored. `routes` tries unsaved routes instead of the saved ones.',
  tag,
  permission: 'settings.manage',
  params: idParams,
  body: z.object({ payload: z.unknown().describe('A payload as the source’s sender would post it'), routes: routesSchema.optional() }),
  responses: { 200: { description: 'The routing of each alert', schema: z.object({ alerts: z.array(z.record(z.string(), z.unknown())), rejected: z.array(z.unknown()) }) } },
});

// ---- Ingest -----------------------------------------------------------------------------------

const ingestProblems = {
  400: { description: 'The body is not JSON', schema: problemSchema, contentType: 'application/problem+json' },
  401: { description: 'No token, or one no source has', schema: problemSchema, contentType: 'application/problem+json' },
  413: { description: 'The body is larger than 1 MiB', schema: problemSchema, contentType: 'application/problem+json' },
  422: { description: 'No alert of the payload could be read; `errors` names each field', schema: problemSchema, contentType: 'application/problem+json' },
};

const sourceToken = 'The alert source’s token, as `Authorization: Bearer <token>` or `?token=<token>`';

const ingestDocs: Record<Exclude<AlertSourceKind, 'pagerduty'>, { summary: string; body: z.ZodType }> = {
  alertmanager: {
    summary: 'Prometheus Alertmanager webhook (payload version 4): point a `webhook_configs` receiver here with `http_config.authorization` carrying the source token.',
    body: alertmanagerPayloadSchema.extend({ alerts: z.array(alertmanagerAlertSchema).min(1).max(10_000) }).meta({ id: 'AlertmanagerWebhook' }),
  },
  grafana: {
    summary: 'Grafana Alerting webhook contact point (Grafana 8+), with the source token as its Authorization header credentials.',
    body: grafanaPayloadSchema.extend({ alerts: z.array(grafanaAlertSchema).min(1).max(10_000) }).meta({ id: 'GrafanaWebhook' }),
  },
  generic: {
    summary: 'Sitrep’s own alert JSON, one alert or a list: `{dedupKey, status: "firing"|"resolved", title, severity?, service?, labels?, details?, links?}`.',
    body: z.union([genericAlertSchema, z.array(genericAlertSchema).min(1).max(10_000)]).meta({ id: 'GenericAlert' }),
  },
};

function ingestOperation(kind: Exclude<AlertSourceKind, 'pagerduty'>) {
  return defineOperation({
    method: 'POST',
    path: `/api/v1/alerts/ingest/${kind}`,
    summary: `${ingestDocs[kind].summary} Answers 202 once every readable alert is stored (one transaction; pages and incidents follow from the queue). A bad alert in a batch is listed in \`rejected\`; the others are kept. At most 1 MiB.`,
    tag,
    permission: null,
    ownCredential: sourceToken,
    rawBody: { maxBytes: MAX_INGEST_BYTES },
    body: ingestDocs[kind].body,
    responses: { 202: { description: 'Stored', schema: ingestResultSchema }, ...ingestProblems },
  });
}

export const ingestAlertmanagerOperation = ingestOperation('alertmanager');
export const ingestGrafanaOperation = ingestOperation('grafana');
export const ingestGenericOperation = ingestOperation('generic');

export const ingestPagerDutyOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/alerts/ingest/pagerduty',
  summary:
    'PagerDuty Events API v2 (`trigger`, `acknowledge`, `resolve` by `dedup_key`), answered as PagerDuty answers, so any tool that sends to PagerDuty can send here. `routing_key` is the source token. At most 1 MiB.',
  tag,
  permission: null,
  ownCredential: 'The alert source’s token, as `routing_key` in the event',
  rawBody: { maxBytes: MAX_INGEST_BYTES },
  body: pagerDutyEventSchema.meta({ id: 'PagerDutyEvent' }),
  responses: { 202: { description: 'Stored', schema: pagerDutyAnswerSchema }, ...ingestProblems },
});

// ---- Alerts -----------------------------------------------------------------------------------

export const listAlertsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/alerts',
  summary: 'Alerts, newest first. `status=open` means not resolved; `q` searches title, labels and annotations; `label=name=value`.',
  tag,
  permission: 'read',
  query: alertListQuerySchema,
  responses: { 200: { description: 'A page of alerts', schema: z.object({ items: z.array(alertSchema), nextCursor: z.string().nullable() }) } },
});

export const alertsStreamOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/alerts/stream',
  summary: 'Live alert changes (Server-Sent Events): `event: alerts` with `{incidentId}` (null for alerts linked to no incident) whenever alerts are stored or change; `?incident=<n>` follows one incident’s alerts.',
  tag,
  permission: 'read',
  query: z.object({ incident: incidentNumberSchema.optional() }),
  responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
});

export const getAlertOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/alerts/{id}',
  summary: 'One alert.',
  tag,
  permission: 'read',
  params: idParams,
  responses: { 200: { description: 'The alert', schema: alertSchema } },
});

export const acknowledgeAlertOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/alerts/{id}/acknowledge',
  summary: 'Acknowledge an alert (409 when it has resolved). On a linked incident’s timeline.',
  tag,
  permission: 'incidents.work',
  params: idParams,
  responses: { 200: { description: 'The alert', schema: alertSchema } },
});

export const resolveAlertOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/alerts/{id}/resolve',
  summary: 'Resolve an alert by hand; if its sender still says it fires, its next notification is a new alert. A no-op when resolved already.',
  tag,
  permission: 'incidents.work',
  params: idParams,
  responses: { 200: { description: 'The alert', schema: alertSchema } },
});

export const declareFromAlertOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/alerts/{id}/declare',
  summary:
    'Declare an incident from an alert: its title and mapped severity unless given, its service, its group linked, its runbook attached. 409 when the alert is linked to an incident already.',
  tag,
  permission: 'incidents.work',
  params: idParams,
  body: declareFromAlertSchema,
  responses: { 201: { description: 'The new incident', schema: incidentSchema } },
});

export const linkAlertOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/alerts',
  summary: 'Link an alert, with the unresolved alerts of its group, to the incident (409 when it is linked to another). A resolved incident stays resolved; the alert is flagged.',
  tag,
  permission: 'incidents.work',
  params: z.object({ number: incidentNumberSchema }),
  body: linkAlertSchema,
  responses: { 200: { description: 'The alert', schema: alertSchema } },
});

// ---- Silences ---------------------------------------------------------------------------------

export const listSilencesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/silences',
  summary: 'Silences: active and upcoming first, then those that ended in the last 7 days.',
  tag,
  permission: 'read',
  responses: { 200: { description: 'Silences', schema: z.object({ items: z.array(silenceSchema) }) } },
});

export const createSilenceOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/silences',
  summary:
    'Silence alerts (a maintenance window): `matchers` as in routes, at least one requiring a value; `startsAt` defaults to now. Matching alerts are stored as silenced, page no one and declare nothing; firing ones are silenced at once.',
  tag,
  permission: 'incidents.work',
  body: silenceInputSchema,
  responses: { 201: { description: 'The silence', schema: silenceSchema } },
});

export const endSilenceOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/silences/{id}',
  summary: 'End a silence now (it is kept, as ended); the alerts it silenced fire again and are routed.',
  tag,
  permission: 'incidents.work',
  params: idParams,
  responses: { 200: { description: 'The ended silence', schema: silenceSchema } },
});
