import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { removeSmeOperation } from '@/lib/incidents/operations';
import { removeSme } from '@/lib/incidents/service';

export const DELETE = apiRoute(removeSmeOperation, async ({ actor, params, requestId }) => {
  const incident = await removeSme(params.number, params.email, { actor, requestId });
  return json(incident, { headers: { etag: etag(incident.version) } });
});
