import { apiRoute, json } from '@/lib/platform/http/route';
import { fireRemediationOperation } from '@/lib/remediation/operations';
import { fireRemediation } from '@/lib/remediation/service';

export const POST = apiRoute(fireRemediationOperation, async ({ actor, params, body, requestId }) => {
  const delivery = await fireRemediation(params.number, body, { actor, requestId });
  return json(delivery, { status: 202, headers: { location: `/api/v1/deliveries/${delivery.id}` } });
});
