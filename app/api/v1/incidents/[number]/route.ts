import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { getIncidentOperation, updateIncidentOperation } from '@/lib/incidents/operations';
import { getIncident } from '@/lib/incidents/queries';
import { updateIncident } from '@/lib/incidents/service';

export const GET = apiRoute(getIncidentOperation, async ({ actor, params }) => {
  const incident = await getIncident(params.number, actor);
  return json(incident, { headers: { etag: etag(incident.version) } });
});

export const PATCH = apiRoute(updateIncidentOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'incident' });
  const incident = await updateIncident(params.number, body, { ifVersion }, { actor, requestId });
  return json(incident, { headers: { etag: etag(incident.version) } });
});
