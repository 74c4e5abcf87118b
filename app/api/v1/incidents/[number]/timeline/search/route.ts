import { apiRoute, json } from '@/lib/platform/http/route';
import { resolveIncident } from '@/lib/incidents/queries';
import { listTimelinePage } from '@/lib/timeline/queries';
import { timelineSearchOperation } from '@/lib/timeline/search-operation';

export const GET = apiRoute(timelineSearchOperation, async ({ actor, params, query }) => {
  const incident = await resolveIncident(params.number, actor);
  return json(await listTimelinePage(incident.id, { before: query.before, limit: query.limit, kinds: query.kind, pinnedOnly: query.pinned, q: query.q }));
});
