import { apiRoute, json } from '@/lib/platform/http/route';
import { createRunbookOperation, listRunbooksOperation } from '@/lib/runbooks/operations';
import { getRunbook, listRunbooks } from '@/lib/runbooks/queries';
import { createRunbook } from '@/lib/runbooks/service';

export const GET = apiRoute(listRunbooksOperation, async ({ query }) => json({ items: await listRunbooks(query) }));

export const POST = apiRoute(createRunbookOperation, async ({ actor, body, requestId }) => {
  const { id } = await createRunbook(body, { actor, requestId });
  return json(await getRunbook(id), { status: 201, headers: { etag: '"1"', location: `/api/v1/runbooks/${id}` } });
});
