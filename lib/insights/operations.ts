import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { incidentNumberSchema } from '@/lib/incidents/schema';
import { figureDefinitions } from '@/lib/insights/definitions';
import { insightsCsvQuerySchema, insightsQuerySchema, insightsSchema, relatedIncidentSchema, runbookFeedbackSchema } from '@/lib/insights/schema';

const definitions = `Definitions: mttd ${figureDefinitions.mttd} mtta ${figureDefinitions.mtta} mttm ${figureDefinitions.mttm} mttr ${figureDefinitions.mttr} responseTargetMet: ${figureDefinitions.responseTarget} updatesOnTime: ${figureDefinitions.updateCadence} reviewsPublished: ${figureDefinitions.reviews} actionItems: ${figureDefinitions.actionItems} services[].impactMinutes: ${figureDefinitions.impact} totals.alertsPerIncident: ${figureDefinitions.alertsPerIncident} noisiestAlerts: ${figureDefinitions.noisiestAlerts}`;

export const insightsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/insights',
  summary: `How incidents went: counts, time to detect/acknowledge/mitigate/resolve (median and p90, seconds), response-target and update-cadence compliance, reviews and action items, per period and per service; pages per person; alerts per incident and the noisiest alerts. \`from\`/\`to\` bound the declaration time (a day or an ISO time; default the last 90 days, or \`range=30|90|365\`); \`service\` keeps incidents that list it. ${definitions}`,
  tag: 'Insights',
  permission: 'read',
  query: insightsQuerySchema,
  responses: { 200: { description: 'The figures', schema: insightsSchema } },
});

export const insightsCsvOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/insights/incidents.csv',
  summary:
    'The incidents behind the figures as CSV (text/csv): a header row and one row per incident with its key times, spans in seconds and verdicts. Same filters as /api/v1/insights; `figure=` keeps only the incidents one figure counts (mttd, mtta, mttm, mttr, responseTarget, updateCadence, reviews, actionItems).',
  tag: 'Insights',
  permission: 'read',
  query: insightsCsvQuerySchema,
  responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
});

export const relatedIncidentsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/related',
  summary:
    'It happened before: incidents declared in the 90 days before this one that share one of its services, newest first, with their time to resolve, their review’s root cause and their open action items.',
  tag: 'Insights',
  permission: 'read',
  params: z.object({ number: incidentNumberSchema }),
  responses: { 200: { description: 'Earlier incidents', schema: z.object({ items: z.array(relatedIncidentSchema) }) } },
});

export const runbookFeedbackOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/runbooks/{id}/feedback',
  summary:
    'What every checklist made from the runbook (any version) says about it: steps skipped (how often, with the notes), steps added ad hoc (with the incidents and the step they followed), the slowest steps (median seconds from the previous tick, or from attaching), and remediation actions fired during its incidents that no step links to.',
  tag: 'Insights',
  permission: 'read',
  params: z.object({ id: z.uuid({ error: 'runbook ids are UUIDs' }) }),
  responses: { 200: { description: 'Feedback', schema: runbookFeedbackSchema } },
});
