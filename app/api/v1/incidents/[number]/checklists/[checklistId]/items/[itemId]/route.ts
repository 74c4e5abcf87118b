import { apiRoute, json } from '@/lib/platform/http/route';
import { setItemStateOperation } from '@/lib/checklists/operations';
import { setItemState } from '@/lib/checklists/service';

export const PATCH = apiRoute(setItemStateOperation, async ({ actor, params, body, requestId }) => {
  const checklist = await setItemState(params.number, params.checklistId, params.itemId, body, { actor, requestId });
  return json(checklist.items.find((item) => item.id === params.itemId));
});
