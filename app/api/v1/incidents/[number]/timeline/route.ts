import { apiRoute, json } from '@/lib/platform/http/route';
import { resolveIncident } from '@/lib/incidents/queries';
import { listTimelineOperation, postNoteOperation } from '@/lib/timeline/operations';
import { listTimelineAfter } from '@/lib/timeline/queries';
import { postNote } from '@/lib/timeline/service';

export const GET = apiRoute(listTimelineOperation, async ({ actor, params, query }) => {
  const incident = await resolveIncident(params.number, actor);
  return json(await listTimelineAfter(incident.id, query.after, query.limit));
});

export const POST = apiRoute(postNoteOperation, async ({ actor, params, body, requestId }) =>
  json(await postNote(params.number, body, { actor, requestId }), { status: 201 }),
);
