import { listAlertsOperation } from '@/lib/alerts/operations';
import { listAlerts } from '@/lib/alerts/queries';
import { apiRoute, json } from '@/lib/platform/http/route';

export const GET = apiRoute(listAlertsOperation, async ({ actor, query }) => json(await listAlerts(query, actor)));
