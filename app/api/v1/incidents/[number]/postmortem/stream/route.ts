import { resolveIncident } from '@/lib/incidents/queries';
import { untilHidden } from '@/lib/incidents/stream';
import { apiRoute } from '@/lib/platform/http/route';
import { reviewStreamOperation } from '@/lib/postmortems/operations';
import { reviewStream } from '@/lib/postmortems/stream';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(reviewStreamOperation, async ({ actor, params, request }) => {
  const incident = await resolveIncident(params.number, actor);
  return reviewStream(incident, untilHidden(incident.id, actor, request.signal));
});
