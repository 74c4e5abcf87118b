import { z } from 'zod';
import { defineOperation } from '@/lib/api/operation';
import { incidentNumberSchema } from '@/lib/incidents/schema';

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

export const dashboardStreamOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/stream',
  summary: 'Live changes of all incidents (Server-Sent Events): `event: incident` with `{incidentId, number?}` whenever an incident or its timeline changes.',
  tag: 'Incidents',
  permission: 'read',
  responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
});
