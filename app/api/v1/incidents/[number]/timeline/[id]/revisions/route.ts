import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentIdByNumber } from '@/lib/incidents/queries';
import { eventRevisionsOperation } from '@/lib/timeline/operations';
import { getTimelineEvent, listEventRevisions } from '@/lib/timeline/queries';

export const GET = apiRoute(eventRevisionsOperation, async ({ params }) => {
  const [incidentId, event] = await Promise.all([incidentIdByNumber(params.number), getTimelineEvent(params.id)]);
  if (!incidentId || !event || event.incidentId !== incidentId) throw new NotFoundError(`INC-${params.number} has no timeline event ${params.id}.`);
  return json({ items: await listEventRevisions(params.id) });
});
