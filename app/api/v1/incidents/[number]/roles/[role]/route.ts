import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { assignRoleOperation, unassignRoleOperation } from '@/lib/incidents/operations';
import { assignRole, unassignRole } from '@/lib/incidents/service';

export const PUT = apiRoute(assignRoleOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'incident' });
  const incident = await assignRole(params.number, params.role, body.email, { ifVersion }, { actor, requestId });
  return json(incident, { headers: { etag: etag(incident.version) } });
});

export const DELETE = apiRoute(unassignRoleOperation, async ({ actor, params, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'incident' });
  const incident = await unassignRole(params.number, params.role, { ifVersion }, { actor, requestId });
  return json(incident, { headers: { etag: etag(incident.version) } });
});
