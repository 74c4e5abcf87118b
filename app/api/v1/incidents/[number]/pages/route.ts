import { apiRoute, json } from '@/lib/platform/http/route';
import { incidentPageOperation } from '@/lib/oncall/operations';
import { pageFromIncident } from '@/lib/oncall/service';

export const POST = apiRoute(incidentPageOperation, async ({ actor, params, body, requestId }) => {
  const page = await pageFromIncident(params.number, body, { actor, requestId });
  return json(page, { status: 201, headers: { location: `/api/v1/pages/${page.id}` } });
});
