import { apiRoute, json } from '@/lib/platform/http/route';
import { addItemOperation } from '@/lib/checklists/operations';
import { addChecklistItem } from '@/lib/checklists/service';

export const POST = apiRoute(addItemOperation, async ({ actor, params, body, requestId }) =>
  json(await addChecklistItem(params.number, params.checklistId, body, { actor, requestId }), { status: 201 }),
);
