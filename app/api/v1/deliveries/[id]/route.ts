import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { getDeliveryOperation } from '@/lib/remediation/operations';
import { getDelivery } from '@/lib/remediation/queries';

export const GET = apiRoute(getDeliveryOperation, async ({ actor, params }) => {
  const delivery = await getDelivery(params.id, actor);
  if (!delivery) throw new NotFoundError(`There is no delivery ${params.id}.`);
  return json(delivery);
});
