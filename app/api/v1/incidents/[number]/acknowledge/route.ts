import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { acknowledgeIncidentOperation } from '@/lib/incidents/operations';
import { acknowledgeIncident } from '@/lib/incidents/service';

export const POST = apiRoute(acknowledgeIncidentOperation, async ({ actor, params, requestId }) => {
  const incident = await acknowledgeIncident(params.number, { actor, requestId });
  return json(incident, { headers: { etag: etag(incident.version) } });
});
