import { apiRoute, json } from '@/lib/platform/http/route';
import { listActionItemsOperation } from '@/lib/postmortems/operations';
import { listActionItems } from '@/lib/postmortems/queries';

export const GET = apiRoute(listActionItemsOperation, async ({ actor, query }) =>
  json({ items: await listActionItems(actor, { ownerId: query.mine ? actor.id : undefined, overdue: query.overdue ?? !query.mine }) }),
);
