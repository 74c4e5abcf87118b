import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { getPageOperation } from '@/lib/oncall/operations';
import { getPage } from '@/lib/oncall/queries';

export const GET = apiRoute(getPageOperation, async ({ actor, params }) => {
  const page = await getPage(params.id, actor);
  if (!page) throw new NotFoundError('That page does not exist.');
  return json(page);
});
