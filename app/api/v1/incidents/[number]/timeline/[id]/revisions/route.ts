import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { resolveIncident } from '@/lib/incidents/queries';
import { eventRevisionsOperation } from '@/lib/timeline/operations';
import { getTimelineEvent, listEventRevisions } from '@/lib/timeline/queries';

export const GET = apiRoute(eventRevisionsOperation, async ({ actor, params }) => {
  const [incident, event] = await Promise.all([resolveIncident(params.number, actor), getTimelineEvent(params.id)]);
  if (!event || event.incidentId !== incident.id) throw new NotFoundError(`INC-${params.number} has no timeline event ${params.id}.`);
  return json({ items: await listEventRevisions(params.id) });
});
