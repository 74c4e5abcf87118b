import { resolveIncident } from '@/lib/incidents/queries';
import { apiRoute } from '@/lib/platform/http/route';
import { resumePoint } from '@/lib/platform/live/cursor-stream';
import { incidentStreamOperation } from '@/lib/timeline/operations';
import { timelineStream } from '@/lib/timeline/stream';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(incidentStreamOperation, async ({ params, query, request }) => {
  const incident = await resolveIncident(params.number);
  return timelineStream(incident.id, request.signal, resumePoint(request, query.lastEventId));
});
