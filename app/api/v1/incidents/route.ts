import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { declareIncidentOperation, listIncidentsOperation } from '@/lib/incidents/operations';
import { listIncidents } from '@/lib/incidents/queries';
import { declareIncident } from '@/lib/incidents/service';

export const POST = apiRoute(declareIncidentOperation, async ({ actor, body, requestId }) => {
  const incident = await declareIncident(body, { actor, requestId });
  return json(incident, { status: 201, headers: { etag: etag(incident.version), location: `/api/v1/incidents/${incident.number}` } });
});

export const GET = apiRoute(listIncidentsOperation, async ({ actor, query }) => json(await listIncidents(query, actor)));
