import { declareFromAlertOperation } from '@/lib/alerts/operations';
import { declareFromAlert } from '@/lib/alerts/service';
import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(declareFromAlertOperation, async ({ actor, params, body, requestId }) => {
  const incident = await declareFromAlert(params.id, body, { actor, requestId });
  return json(incident, { status: 201, headers: { etag: etag(incident.version), location: `/api/v1/incidents/${incident.number}` } });
});
