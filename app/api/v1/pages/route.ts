import { apiRoute, json } from '@/lib/platform/http/route';
import { listPagesOperation, triggerPageOperation } from '@/lib/oncall/operations';
import { listPages } from '@/lib/oncall/queries';
import { triggerPage } from '@/lib/oncall/service';

export const GET = apiRoute(listPagesOperation, async ({ actor, query }) => json({ items: await listPages(actor, { status: query.status, limit: query.limit }) }));

export const POST = apiRoute(triggerPageOperation, async ({ actor, body, requestId }) => {
  const page = await triggerPage(body, { actor, requestId });
  return json(page, { status: 201, headers: { location: `/api/v1/pages/${page.id}` } });
});
