import { apiRoute, json } from '@/lib/platform/http/route';
import { updateActionItemOperation } from '@/lib/postmortems/operations';
import { getActionItem } from '@/lib/postmortems/queries';
import { updateActionItem } from '@/lib/postmortems/service';

export const PATCH = apiRoute(updateActionItemOperation, async ({ actor, params, body, requestId }) => {
  await updateActionItem(params.id, body, { actor, requestId });
  return json(await getActionItem(params.id, actor));
});
