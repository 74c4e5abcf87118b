import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { addSmeOperation } from '@/lib/incidents/operations';
import { addSme } from '@/lib/incidents/service';

export const POST = apiRoute(addSmeOperation, async ({ actor, params, body, requestId }) => {
  const incident = await addSme(params.number, body.email, { actor, requestId });
  return json(incident, { headers: { etag: etag(incident.version) } });
});
