import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentIdByNumber } from '@/lib/incidents/queries';
import { incidentKey } from '@/lib/incidents/schema';
import { listTimelinePage } from '@/lib/timeline/queries';
import { timelineSearchOperation } from '@/lib/timeline/search-operation';

export const GET = apiRoute(timelineSearchOperation, async ({ params, query }) => {
  const incidentId = await incidentIdByNumber(params.number);
  if (!incidentId) throw new NotFoundError(`${incidentKey(params.number)} does not exist.`);
  return json(await listTimelinePage(incidentId, { before: query.before, limit: query.limit, kinds: query.kind, pinnedOnly: query.pinned, q: query.q }));
});
