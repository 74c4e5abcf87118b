import { alertsStreamOperation } from '@/lib/alerts/operations';
import { alertsStream } from '@/lib/alerts/stream';
import { resolveIncident } from '@/lib/incidents/queries';
import { apiRoute } from '@/lib/platform/http/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(alertsStreamOperation, async ({ actor, query, request }) => {
  const incident = query.incident !== undefined ? await resolveIncident(query.incident, actor) : null;
  return alertsStream(request.signal, incident?.id ?? null);
});
