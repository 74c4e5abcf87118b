import { apiRoute, json } from '@/lib/platform/http/route';
import { resendDeliveryOperation } from '@/lib/remediation/operations';
import { resendDelivery } from '@/lib/remediation/service';

export const POST = apiRoute(resendDeliveryOperation, async ({ actor, params, body, requestId }) => {
  const delivery = await resendDelivery(params.id, body, { actor, requestId });
  return json(delivery, { status: 202, headers: { location: `/api/v1/deliveries/${delivery.id}` } });
});
