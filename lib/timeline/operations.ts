import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { incidentNumberSchema } from '@/lib/incidents/schema';
import { eventPatchSchema, eventRevisionSchema, noteInputSchema, timelineEventSchema } from '@/lib/timeline/schema';

const numberParams = z.object({ number: incidentNumberSchema });
const eventParams = z.object({ number: incidentNumberSchema, id: z.uuid({ error: 'event ids are UUIDs' }) });

export const listTimelineOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/timeline',
  summary: 'Timeline events ordered by seq, strictly after `after`; `nextAfter` is null on the last page.',
  tag: 'Timeline',
  permission: 'read',
  params: numberParams,
  query: z.object({
    after: z.coerce.number({ error: 'after is a seq number' }).int().min(0, 'after is 0 or more').max(2_147_483_647, 'after is at most 2147483647').default(0),
    limit: z.coerce.number({ error: 'limit is a number' }).int().min(1, 'limit is at least 1').max(1000, 'limit is at most 1000').default(200),
  }),
  responses: { 200: { description: 'A page of events', schema: z.object({ items: z.array(timelineEventSchema), nextAfter: z.number().int().nullable() }) } },
});

export const postNoteOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/timeline',
  summary: 'Add a note (Markdown), optionally back-dated with occurredAt and pinned as a key event.',
  tag: 'Timeline',
  permission: 'incidents.work',
  params: numberParams,
  body: noteInputSchema,
  responses: { 201: { description: 'The note', schema: timelineEventSchema } },
});

export const editEventOperation = defineOperation({
  method: 'PATCH',
  path: '/api/v1/incidents/{number}/timeline/{id}',
  summary: "Edit a note's text or time, or pin/unpin any event. The previous version stays in the event's history.",
  tag: 'Timeline',
  permission: 'incidents.work',
  params: eventParams,
  body: eventPatchSchema,
  responses: { 200: { description: 'The event after the edit', schema: timelineEventSchema } },
});

export const eventRevisionsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/timeline/{id}/revisions',
  summary: 'Earlier versions of an event, newest first.',
  tag: 'Timeline',
  permission: 'read',
  params: eventParams,
  responses: { 200: { description: 'Earlier versions', schema: z.object({ items: z.array(eventRevisionSchema) }) } },
});

export const incidentStreamOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/stream',
  summary:
    'Live timeline (Server-Sent Events). Every new event as `id: <seq>` / `event: timeline`; edits as `event: timeline.updated` without an id. Reconnect with `Last-Event-ID` (header or ?lastEventId=) to receive every event after that seq first.',
  tag: 'Timeline',
  permission: 'read',
  params: z.object({ number: incidentNumberSchema }),
  query: z.object({ lastEventId: z.coerce.number({ error: 'lastEventId is a seq number' }).int().min(0).max(2_147_483_647, 'lastEventId is at most 2147483647').optional() }),
  responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
});
