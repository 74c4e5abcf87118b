import { resolveIncident } from '@/lib/incidents/queries';
import { untilHidden } from '@/lib/incidents/stream';
import { apiRoute } from '@/lib/platform/http/route';
import { resumePoint } from '@/lib/platform/live/cursor-stream';
import { incidentStreamOperation } from '@/lib/timeline/operations';
import { timelineStream } from '@/lib/timeline/stream';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(incidentStreamOperation, async ({ actor, params, query, request }) => {
  const incident = await resolveIncident(params.number, actor);
  return timelineStream(incident.id, untilHidden(incident.id, actor, request.signal), resumePoint(request, query.lastEventId));
});
