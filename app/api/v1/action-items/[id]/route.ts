import { apiRoute, json } from '@/lib/api/route';
import { db } from '@/lib/db';
import { updateActionItemOperation } from '@/lib/postmortems/operations';
import { toActionItemDto } from '@/lib/postmortems/queries';
import { updateActionItem } from '@/lib/postmortems/service';

export const PATCH = apiRoute(updateActionItemOperation, async ({ actor, params, body, requestId }) => {
  await updateActionItem(params.id, body, { actor, requestId });
  const row = await db.actionItem.findUniqueOrThrow({ where: { id: params.id }, include: { incident: { select: { number: true, title: true } }, owner: { select: { email: true, name: true } } } });
  return json(toActionItemDto(row));
});
