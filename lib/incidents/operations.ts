import { z } from 'zod';
import { STORABLE_TIME_MESSAGE, storableTime } from '@/lib/platform/validation';
import { defineOperation } from '@/lib/platform/http/operation';
import { incidentStatuses } from '@/lib/incidents/lifecycle';
import {
  declareIncidentSchema,
  incidentNumberSchema,
  incidentPatchSchema,
  incidentSchema,
  keyTimeCorrectionSchema,
  memberInputSchema,
  memberSchema,
  mergeSchema,
  roleSchema,
  severityKeySchema,
  titleSchema,
} from '@/lib/incidents/schema';

export const numberParams = z.object({ number: incidentNumberSchema });

// A date alone (2026-11-22) means that day's start in UTC for `from`, and includes that whole day for `to`.
const dateOrTime = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'Use an ISO-8601 date or time, e.g. 2026-11-22 or 2026-11-22T14:00:00Z' })
  .refine(storableTime, STORABLE_TIME_MESSAGE);
const DAY_MS = 86_400_000;

export const incidentListQuerySchema = z.object({
  status: z.enum(['open', ...incidentStatuses], { error: `status must be open or one of ${incidentStatuses.join(', ')}` }).optional(),
  severity: z.string().trim().toUpperCase().optional(),
  service: z.string().trim().optional(),
  q: z.string().trim().max(200, 'Keep the search under 200 characters').optional(),
  from: dateOrTime
    .transform((value) => new Date(value))
    .optional()
    .describe('Declared at or after this time'),
  to: dateOrTime
    .transform((value) => (value.length === 10 ? new Date(new Date(value).getTime() + DAY_MS) : new Date(value)))
    .optional()
    .describe('Declared before this time; a date alone includes that day'),
  limit: z.coerce.number({ error: 'limit is a number' }).int().min(1, 'limit is at least 1').max(200, 'limit is at most 200').default(50),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'This cursor is not one Sitrep handed out; start again without it')
    .transform(Number)
    .optional(),
});

const withEtag = 'Answers with `ETag: "<version>"`.';

/**
 * A severity key that must exist: an async refinement, so it is checked with every other field
 * (lib/platform/validation.ts). The query is imported when it runs, so the catalogue of operations
 * loads without the database.
 */
const existingSeverityKey = severityKeySchema.superRefine(async (key, ctx) => {
  const { listSeverityKeys } = await import('@/lib/severities/queries');
  const keys = await listSeverityKeys();
  if (!keys.includes(key)) ctx.addIssue({ code: 'custom', message: `${key} is not a severity; use ${keys.length > 1 ? `${keys[0]}–${keys.at(-1)}` : keys.join('')}` });
});

/** What the API and the declare form accept: the severity is checked against the database with every other field. */
export const declareIncidentRequestSchema = declareIncidentSchema.safeExtend({ severity: existingSeverityKey });

export const declareIncidentOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents',
  summary: `Declare an incident (status investigating; the caller, or commanderEmail, becomes Incident Commander). With \`private: true\` only its members (the declarer, role holders, experts and people added) and admins see it; to anyone else it answers 404 as if it did not exist. ${withEtag}`,
  tag: 'Incidents',
  permission: 'incidents.work',
  body: declareIncidentRequestSchema,
  responses: { 201: { description: 'The new incident', schema: incidentSchema } },
});

export const listIncidentsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents',
  summary: 'List incidents, newest first. `status=open` means not resolved or closed. Private incidents appear only to their members and admins.',
  tag: 'Incidents',
  permission: 'read',
  query: incidentListQuerySchema,
  responses: { 200: { description: 'A page of incidents', schema: z.object({ items: z.array(incidentSchema), nextCursor: z.string().nullable() }) } },
});

export const getIncidentOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}',
  summary: `An incident by number (42 or INC-42). ${withEtag}`,
  tag: 'Incidents',
  permission: 'read',
  params: numberParams,
  responses: { 200: { description: 'The incident', schema: incidentSchema } },
});

export const updateIncidentOperation = defineOperation({
  method: 'PATCH',
  path: '/api/v1/incidents/{number}',
  summary:
    'Change status, severity, title, summary, services, customer impact or `private`. Optional `If-Match: "<version>"`: 412 when the incident changed since. An invalid status move is 409; reopening needs `reason`. A responder who makes an incident private becomes a member of it.',
  tag: 'Incidents',
  permission: 'incidents.work',
  params: numberParams,
  // Unknown fields are refused: a misspelt `staus` would otherwise be a silent no-op answered 200.
  body: z.strictObject(incidentPatchSchema.shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown field ${issue.keys.join(', ')}; send ${Object.keys(incidentPatchSchema.shape).join(', ')}` : undefined),
  }),
  responses: { 200: { description: 'The incident after the change', schema: incidentSchema } },
});

export const acknowledgeIncidentOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/acknowledge',
  summary: 'Acknowledge the incident (meets the response-time target). A no-op when already acknowledged.',
  tag: 'Incidents',
  permission: 'incidents.work',
  params: numberParams,
  responses: { 200: { description: 'The incident', schema: incidentSchema } },
});

export const correctKeyTimeOperation = defineOperation({
  method: 'PATCH',
  path: '/api/v1/incidents/{number}/times',
  summary: 'Correct a key time (startedAt, detectedAt, acknowledgedAt, mitigatedAt, resolvedAt, closedAt) with a reason; the correction is kept on the timeline. Optional If-Match.',
  tag: 'Incidents',
  permission: 'incidents.work',
  params: numberParams,
  body: keyTimeCorrectionSchema,
  responses: { 200: { description: 'The incident after the correction', schema: incidentSchema } },
});

const roleParams = z.object({ number: incidentNumberSchema, role: roleSchema });

export const assignRoleOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/incidents/{number}/roles/{role}',
  summary: 'Assign a role (commander, tech_lead, comms_lead, scribe). Assigning a held role is a handoff, recorded on the timeline.',
  tag: 'Roles',
  permission: 'incidents.work',
  params: roleParams,
  body: z.object({ email: z.string({ error: 'Send the email of the person taking the role' }) }),
  responses: { 200: { description: 'The incident', schema: incidentSchema } },
});

export const unassignRoleOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/incidents/{number}/roles/{role}',
  summary: 'Unassign a role.',
  tag: 'Roles',
  permission: 'incidents.work',
  params: roleParams,
  responses: { 200: { description: 'The incident', schema: incidentSchema } },
});

export const addSmeOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/smes',
  summary: 'Add a subject-matter expert.',
  tag: 'Roles',
  permission: 'incidents.work',
  params: numberParams,
  body: z.object({ email: z.string({ error: 'Send the email of the expert' }) }),
  responses: { 200: { description: 'The incident', schema: incidentSchema } },
});

export const removeSmeOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/incidents/{number}/smes/{email}',
  summary: 'Remove a subject-matter expert.',
  tag: 'Roles',
  permission: 'incidents.work',
  // Next.js hands over the path segment decoded already (priya%40example.com → priya@example.com).
  params: z.object({ number: incidentNumberSchema, email: z.string() }),
  responses: { 200: { description: 'The incident', schema: incidentSchema } },
});

export const dashboardStreamOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/stream',
  summary:
    'Live changes of all incidents (Server-Sent Events): `event: incident` with `{incidentId, number?}` whenever an incident the caller may see or its timeline changes; `{}` when a private incident the caller may not see changed (a count may have moved).',
  tag: 'Incidents',
  permission: 'read',
  responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
});

const memberResponse = { 200: { description: 'Everyone who may see the incident while it is private, and why', schema: z.object({ items: z.array(memberSchema) }) } };

export const listMembersOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/members',
  summary: 'Who may see the incident while it is private, and why: the declarer, role holders, experts and the people added. Admins see every incident.',
  tag: 'Roles',
  permission: 'read',
  params: numberParams,
  responses: memberResponse,
});

export const addMemberOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/members',
  summary: 'Add someone to the members, so they may see the incident while it is private. A no-op for someone already added.',
  tag: 'Roles',
  permission: 'incidents.work',
  params: numberParams,
  body: memberInputSchema,
  responses: memberResponse,
});

export const removeMemberOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/incidents/{number}/members/{email}',
  summary: 'Take back an addition. 409 when the person is a member only because they declared the incident, hold a role or are an expert (unassign that instead); 404 when they are no member.',
  tag: 'Roles',
  permission: 'incidents.work',
  // Next.js hands over the path segment decoded already (priya%40example.com → priya@example.com).
  params: z.object({ number: incidentNumberSchema, email: z.string() }),
  responses: memberResponse,
});

export const mergeIncidentOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/merge',
  summary:
    'Merge this incident (a duplicate) into `into`, the one that carries on: its timeline, status updates, checklists, remediations, action items, attachments and alerts move there; its people keep a free role there or join as experts. The duplicate is closed and points to the survivor (`mergedInto`). Answers the survivor.',
  tag: 'Incidents',
  permission: 'incidents.work',
  params: numberParams,
  body: mergeSchema,
  responses: { 200: { description: 'The incident that carries on', schema: incidentSchema } },
});

export const duplicatesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/duplicates',
  summary: 'Open incidents that look like one about to be declared: a shared service and a similar title, or a very similar title (at most three, most alike first).',
  tag: 'Incidents',
  permission: 'read',
  query: z.object({
    title: titleSchema,
    services: z
      .string()
      .max(2_000)
      .optional()
      .transform((value) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
  }),
  responses: {
    200: {
      description: 'Possible duplicates',
      schema: z.object({ items: z.array(z.object({ number: z.number().int(), key: z.string(), title: z.string(), severity: z.string(), status: z.string(), services: z.array(z.string()), sharedServices: z.array(z.string()) })) }),
    },
  },
});
