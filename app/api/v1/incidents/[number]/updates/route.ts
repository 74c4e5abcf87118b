import { apiRoute, json } from '@/lib/platform/http/route';
import { listUpdatesOperation, postUpdateOperation } from '@/lib/communications/operations';
import { listIncidentUpdates } from '@/lib/communications/queries';
import { postStatusUpdate } from '@/lib/communications/service';
import { incidentIdByNumber } from '@/lib/incidents/queries';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentKey } from '@/lib/incidents/schema';

export const GET = apiRoute(listUpdatesOperation, async ({ params, query }) => {
  const id = await incidentIdByNumber(params.number);
  if (!id) throw new NotFoundError(`${incidentKey(params.number)} does not exist.`);
  return json({ items: await listIncidentUpdates(id, { audience: query.audience }) });
});

export const POST = apiRoute(postUpdateOperation, async ({ actor, params, body, requestId }) => {
  const update = await postStatusUpdate(params.number, body, { actor, requestId });
  return json(update, { status: 201 });
});
