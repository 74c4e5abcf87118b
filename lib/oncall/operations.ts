// The on-call and paging API (API.md, "On-call and paging"): contact methods, schedules,
// overrides, shifts, who is on call, calendar feeds, escalation policies and pages.
import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { incidentNumberSchema } from '@/lib/incidents/schema';
import {
  calendarFeedInputSchema,
  calendarFeedSchema,
  contactMethodInputSchema,
  contactMethodSchema,
  incidentPageInputSchema,
  oncallQuerySchema,
  oncallSchema,
  overrideInputSchema,
  overrideSchema,
  pageInputSchema,
  pageNotificationSchema,
  pageSchema,
  pagesQuerySchema,
  policyInputSchema,
  policySchema,
  reassignInputSchema,
  scheduleInputSchema,
  scheduleOnCallSchema,
  scheduleSchema,
  shiftSchema,
  shiftsQuerySchema,
} from '@/lib/oncall/schema';

const TAG = 'On-call';

const scheduleId = z.object({ id: z.uuid({ error: 'schedule ids are UUIDs' }) });
const policyId = z.object({ id: z.uuid({ error: 'escalation policy ids are UUIDs' }) });
const pageId = z.object({ id: z.uuid({ error: 'page ids are UUIDs' }) });
/** A person: `me`, their e-mail (API.md writes `{email}`) or their user id. */
const userRef = z.object({ id: z.string().trim().min(1).max(320) });
const contactMethodParams = userRef.extend({ methodId: z.uuid({ error: 'contact method ids are UUIDs' }) });
const feedKeyQuery = z.object({ key: z.string().max(200).optional() });

// ---- Contact methods ----

export const listContactMethodsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/users/{id}/contact-methods',
  summary: 'A person’s contact methods; `{id}` is their e-mail, `me`, or their user id (admins may read anyone’s). Targets are never returned, only `hint`; `working` and `problem` say whether a page can reach them this way.',
  tag: TAG,
  permission: 'read',
  params: userRef,
  responses: { 200: { description: 'Contact methods', schema: z.object({ items: z.array(contactMethodSchema) }) } },
});

export const addContactMethodOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/users/{id}/contact-methods',
  summary:
    'Add a contact method (your own, or anyone’s as an admin): `kind` email, ntfy (the server URL and topic), slack, teams, mattermost (an incoming-webhook URL) or webhook (signed with Standard Webhooks; `signingSecret` is in this answer only). `delaySeconds` after a level notifies you (0 = at once). URLs that are, or resolve to, internal addresses are refused with 422 unless their host is in SITREP_WEBHOOK_ALLOW_HOSTS.',
  tag: TAG,
  permission: 'incidents.work',
  params: userRef,
  body: contactMethodInputSchema,
  responses: { 201: { description: 'The contact method', schema: contactMethodSchema } },
});

export const deleteContactMethodOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/users/{id}/contact-methods/{methodId}',
  summary: 'Remove a contact method; its notifications not yet sent are cancelled.',
  tag: TAG,
  permission: 'incidents.work',
  params: contactMethodParams,
  responses: { 204: { description: 'Removed' } },
});

export const testContactMethodOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/users/{id}/contact-methods/{methodId}/test',
  summary: '"Send test": queues a real test message through the method; its outcome shows as the method’s `lastResult`. 409 when it is disabled, or e-mail without SITREP_SMTP_URL.',
  tag: TAG,
  permission: 'incidents.work',
  params: contactMethodParams,
  responses: { 202: { description: 'The test notification, pending', schema: pageNotificationSchema } },
});

export const userCalendarOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/users/{id}/calendar.ics',
  summary: 'A person’s on-call shifts in every schedule as iCalendar (RFC 5545), the past week and 60 days ahead. A bearer token, or the secret `?key=` of their feed (POST /api/v1/calendar-feeds) for calendar apps.',
  tag: TAG,
  permission: 'read',
  params: userRef,
  query: feedKeyQuery,
  responses: { 200: { description: 'The calendar', contentType: 'text/calendar' } },
});

export const calendarFeedOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/calendar-feeds',
  summary:
    'Your secret calendar URL for a schedule (`scheduleId`) or for your own shifts (no `scheduleId`), to subscribe to in a calendar app. Answers the existing one (200) or a new one (201); `rotate: true` makes a new URL and the old one stops working.',
  tag: TAG,
  permission: 'incidents.work',
  body: calendarFeedInputSchema,
  responses: { 200: { description: 'The existing feed', schema: calendarFeedSchema }, 201: { description: 'A new feed', schema: calendarFeedSchema } },
});

// ---- Schedules ----

export const listSchedulesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/schedules',
  summary: 'Every schedule, by name.',
  tag: TAG,
  permission: 'read',
  responses: { 200: { description: 'Schedules', schema: z.object({ items: z.array(scheduleSchema) }) } },
});

export const createScheduleOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/schedules',
  summary:
    'Create a schedule (admin): an IANA `timeZone` and `layers`, each a rotation of `participants` (by e-mail) with `rotation` daily, weekly or {hours: n}, a local `handoffTime`, `handoffDay` for weekly, a `startDate` and optional `restrictions` (windows such as weekdays 09:00–17:00). Later layers win over earlier ones where they have someone.',
  tag: TAG,
  permission: 'settings.manage',
  body: scheduleInputSchema,
  responses: { 201: { description: 'The schedule', schema: scheduleSchema } },
});

export const getScheduleOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/schedules/{id}',
  summary: 'One schedule; its ETag is the version to send in If-Match when replacing it.',
  tag: TAG,
  permission: 'read',
  params: scheduleId,
  responses: { 200: { description: 'The schedule', schema: scheduleSchema } },
});

export const updateScheduleOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/schedules/{id}',
  summary: 'Replace a schedule (admin). Optional `If-Match: "<version>"`: 412 when someone saved it since.',
  tag: TAG,
  permission: 'settings.manage',
  params: scheduleId,
  body: scheduleInputSchema,
  responses: { 200: { description: 'The saved schedule', schema: scheduleSchema } },
});

export const deleteScheduleOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/schedules/{id}',
  summary: 'Delete a schedule (admin), with its overrides. 409 while an escalation policy pages it.',
  tag: TAG,
  permission: 'settings.manage',
  params: scheduleId,
  responses: { 204: { description: 'Deleted' } },
});

export const scheduleOnCallOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/schedules/{id}/oncall',
  summary: 'Who is on call at `at` (default now) and until when (`until` null when nothing changes within 90 days).',
  tag: TAG,
  permission: 'read',
  params: scheduleId,
  query: oncallQuerySchema,
  responses: { 200: { description: 'Who is on call', schema: oncallSchema } },
});

export const scheduleShiftsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/schedules/{id}/shifts',
  summary: 'The final shifts overlapping [`from`, `to`) (at most 90 days), layers and overrides applied, ordered by start; `layer` is the 0-based layer a shift came from (null for overrides).',
  tag: TAG,
  permission: 'read',
  params: scheduleId,
  query: shiftsQuerySchema,
  responses: { 200: { description: 'Shifts', schema: z.object({ items: z.array(shiftSchema) }) } },
});

export const listOverridesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/schedules/{id}/overrides',
  summary: 'The schedule’s overrides that have not ended, soonest first.',
  tag: TAG,
  permission: 'read',
  params: scheduleId,
  responses: { 200: { description: 'Overrides', schema: z.object({ items: z.array(overrideSchema) }) } },
});

export const addOverrideOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/schedules/{id}/overrides',
  summary: 'Someone covers [`start`, `end`) and wins over every layer. Responders take shifts for themselves; admins set overrides for anyone.',
  tag: TAG,
  permission: 'incidents.work',
  params: scheduleId,
  body: overrideInputSchema,
  responses: { 201: { description: 'The override', schema: overrideSchema } },
});

export const removeOverrideOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/schedules/{id}/overrides/{overrideId}',
  summary: 'Remove an override (the person covering, whoever made it, or an admin).',
  tag: TAG,
  permission: 'incidents.work',
  params: scheduleId.extend({ overrideId: z.uuid({ error: 'override ids are UUIDs' }) }),
  responses: { 204: { description: 'Removed' } },
});

export const scheduleCalendarOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/schedules/{id}/calendar.ics',
  summary: 'The schedule’s shifts as iCalendar (RFC 5545), the past week and 60 days ahead. A bearer token, or the secret `?key=` of a feed for this schedule (POST /api/v1/calendar-feeds) for calendar apps.',
  tag: TAG,
  permission: 'read',
  params: scheduleId,
  query: feedKeyQuery,
  responses: { 200: { description: 'The calendar', contentType: 'text/calendar' } },
});

export const onCallNowOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/oncall',
  summary: 'Who is on call now, until when, and who is next, in every schedule.',
  tag: TAG,
  permission: 'read',
  responses: { 200: { description: 'Every schedule', schema: z.object({ at: z.iso.datetime(), items: z.array(scheduleOnCallSchema) }) } },
});

// ---- Escalation policies ----

export const listPoliciesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/escalation-policies',
  summary: 'Every escalation policy, by name.',
  tag: TAG,
  permission: 'read',
  responses: { 200: { description: 'Policies', schema: z.object({ items: z.array(policySchema) }) } },
});

export const createPolicyOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/escalation-policies',
  summary:
    'Create an escalation policy (admin): ordered `levels`, each notifying `targets` (users by e-mail, schedules by id: whoever is on call then) and waiting `delaySeconds` for an acknowledgement before the next level; `repeat` more runs through the levels (default 0).',
  tag: TAG,
  permission: 'settings.manage',
  body: policyInputSchema,
  responses: { 201: { description: 'The policy', schema: policySchema } },
});

export const getPolicyOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/escalation-policies/{id}',
  summary: 'One escalation policy; its ETag is the version for If-Match.',
  tag: TAG,
  permission: 'read',
  params: policyId,
  responses: { 200: { description: 'The policy', schema: policySchema } },
});

export const updatePolicyOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/escalation-policies/{id}',
  summary: 'Replace a policy (admin). Pages already triggered keep the levels they started with. Optional If-Match: 412 when someone saved it since.',
  tag: TAG,
  permission: 'settings.manage',
  params: policyId,
  body: policyInputSchema,
  responses: { 200: { description: 'The saved policy', schema: policySchema } },
});

export const deletePolicyOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/escalation-policies/{id}',
  summary: 'Delete a policy (admin); open pages finish with their copy of its levels.',
  tag: TAG,
  permission: 'settings.manage',
  params: policyId,
  responses: { 204: { description: 'Deleted' } },
});

// ---- Pages ----

export const triggerPageOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/pages',
  summary:
    'Page a `target`: an escalation policy (level by level until someone acknowledges), whoever is on call in a schedule, or a person. Optional `incidentNumber` links it to an incident (its timeline shows the page).',
  tag: TAG,
  permission: 'incidents.work',
  body: pageInputSchema,
  responses: { 201: { description: 'The page', schema: pageSchema } },
});

export const listPagesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/pages',
  summary: 'Pages, newest first (at most 200), optionally by `status`.',
  tag: TAG,
  permission: 'read',
  query: pagesQuerySchema.extend({ limit: z.coerce.number({ error: 'limit is a number from 1 to 200' }).int().min(1, 'limit is at least 1').max(200, 'limit is at most 200').optional() }),
  responses: { 200: { description: 'Pages', schema: z.object({ items: z.array(pageSchema) }) } },
});

export const pagesStreamOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/pages/stream',
  summary: 'Live changes of pages (Server-Sent Events): `event: page` with `{pageId}` whenever a page changes; `event: resync` after the server lost its database connection.',
  tag: TAG,
  permission: 'read',
  responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
});

export const getPageOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/pages/{id}',
  summary: 'One page with every notification: who, how, when, and the result.',
  tag: TAG,
  permission: 'read',
  params: pageId,
  responses: { 200: { description: 'The page', schema: pageSchema } },
});

export const acknowledgePageOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/pages/{id}/acknowledge',
  summary: 'Acknowledge: the escalation stops. Acknowledging again changes nothing; 409 once resolved.',
  tag: TAG,
  permission: 'incidents.work',
  params: pageId,
  responses: { 200: { description: 'The page', schema: pageSchema } },
});

export const resolvePageOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/pages/{id}/resolve',
  summary: 'Resolve: the page ends and its acknowledge links stop working. 409 when already resolved.',
  tag: TAG,
  permission: 'incidents.work',
  params: pageId,
  responses: { 200: { description: 'The page', schema: pageSchema } },
});

export const escalatePageOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/pages/{id}/escalate',
  summary: 'Escalate now: the next level is notified at once and its wait counts from now. 409 when the page was acknowledged or resolved, or has no level left.',
  tag: TAG,
  permission: 'incidents.work',
  params: pageId,
  responses: { 200: { description: 'The page', schema: pageSchema } },
});

export const reassignPageOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/pages/{id}/reassign',
  summary: 'Hand the page to another `target` (policy, schedule or person): it starts over at that target’s first level, unacknowledged. 409 when resolved.',
  tag: TAG,
  permission: 'incidents.work',
  params: pageId,
  body: reassignInputSchema,
  responses: { 200: { description: 'The page', schema: pageSchema } },
});

export const incidentPageOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/pages',
  summary: '"Page…" from an incident: pages the `target` with an optional `message`; the page, its notifications and the acknowledgement appear on the timeline, and whoever acknowledges joins as a subject-matter expert.',
  tag: TAG,
  permission: 'incidents.work',
  params: z.object({ number: incidentNumberSchema }),
  body: incidentPageInputSchema,
  responses: { 201: { description: 'The page', schema: pageSchema } },
});
