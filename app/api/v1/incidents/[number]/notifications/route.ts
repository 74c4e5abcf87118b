import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentKey } from '@/lib/incidents/schema';
import { listIncidentNotificationsOperation } from '@/lib/notifications/operations';
import { listIncidentNotifications } from '@/lib/notifications/queries';

export const GET = apiRoute(listIncidentNotificationsOperation, async ({ actor, params }) => {
  const items = await listIncidentNotifications(params.number, actor);
  if (!items) throw new NotFoundError(`${incidentKey(params.number)} does not exist.`);
  return json({ items });
});
