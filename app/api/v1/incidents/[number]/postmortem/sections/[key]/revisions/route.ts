import { apiRoute, json } from '@/lib/platform/http/route';
import { listRevisionsOperation } from '@/lib/postmortems/operations';
import { listRevisions } from '@/lib/postmortems/queries';
import { resolveIncident } from '@/lib/incidents/queries';

export const GET = apiRoute(listRevisionsOperation, async ({ actor, params }) => {
  await resolveIncident(params.number, actor);
  return json({ items: await listRevisions(params.number, params.key, actor) });
});
