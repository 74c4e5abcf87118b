import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { correctKeyTimeOperation } from '@/lib/incidents/operations';
import { correctKeyTime } from '@/lib/incidents/service';

export const PATCH = apiRoute(correctKeyTimeOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'incident' });
  const incident = await correctKeyTime(params.number, body, { ifVersion }, { actor, requestId });
  return json(incident, { headers: { etag: etag(incident.version) } });
});
