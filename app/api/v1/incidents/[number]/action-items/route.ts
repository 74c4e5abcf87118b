import { apiRoute, json } from '@/lib/platform/http/route';
import { resolveIncident } from '@/lib/incidents/queries';
import { createActionItemOperation, listIncidentActionItemsOperation } from '@/lib/postmortems/operations';
import { getActionItem, listActionItems } from '@/lib/postmortems/queries';
import { createActionItem } from '@/lib/postmortems/service';

export const GET = apiRoute(listIncidentActionItemsOperation, async ({ actor, params }) => {
  const incident = await resolveIncident(params.number, actor);
  return json({ items: await listActionItems(actor, { incidentId: incident.id }) });
});

export const POST = apiRoute(createActionItemOperation, async ({ actor, params, body, requestId }) => {
  const id = await createActionItem(params.number, body, { actor, requestId });
  return json(await getActionItem(id, actor), { status: 201, headers: { location: `/api/v1/action-items/${id}` } });
});
