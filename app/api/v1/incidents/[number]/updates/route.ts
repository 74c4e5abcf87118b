import { apiRoute, json } from '@/lib/platform/http/route';
import { listUpdatesOperation, postUpdateOperation } from '@/lib/communications/operations';
import { listIncidentUpdates } from '@/lib/communications/queries';
import { postStatusUpdate } from '@/lib/communications/service';
import { resolveIncident } from '@/lib/incidents/queries';

export const GET = apiRoute(listUpdatesOperation, async ({ actor, params, query }) => {
  const incident = await resolveIncident(params.number, actor);
  return json({ items: await listIncidentUpdates(incident.id, { audience: query.audience }) });
});

export const POST = apiRoute(postUpdateOperation, async ({ actor, params, body, requestId }) => {
  const update = await postStatusUpdate(params.number, body, { actor, requestId });
  return json(update, { status: 201 });
});
