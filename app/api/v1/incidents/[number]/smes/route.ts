import { etag } from '@/lib/api/etag';
import { apiRoute, json } from '@/lib/api/route';
import { addSmeOperation } from '@/lib/incidents/operations';
import { addSme } from '@/lib/incidents/service';

export const POST = apiRoute(addSmeOperation, async ({ actor, params, body, requestId }) => {
  const incident = await addSme(params.number, body.email, { actor, requestId });
  return json(incident, { headers: { etag: etag(incident.version) } });
});
