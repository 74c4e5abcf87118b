import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentIdByNumber } from '@/lib/incidents/queries';
import { incidentKey } from '@/lib/incidents/schema';
import { createActionItemOperation, listIncidentActionItemsOperation } from '@/lib/postmortems/operations';
import { getActionItem, listActionItems } from '@/lib/postmortems/queries';
import { createActionItem } from '@/lib/postmortems/service';

export const GET = apiRoute(listIncidentActionItemsOperation, async ({ params }) => {
  const incidentId = await incidentIdByNumber(params.number);
  if (!incidentId) throw new NotFoundError(`${incidentKey(params.number)} does not exist.`);
  return json({ items: await listActionItems({ incidentId }) });
});

export const POST = apiRoute(createActionItemOperation, async ({ actor, params, body, requestId }) => {
  const id = await createActionItem(params.number, body, { actor, requestId });
  return json(await getActionItem(id), { status: 201, headers: { location: `/api/v1/action-items/${id}` } });
});
