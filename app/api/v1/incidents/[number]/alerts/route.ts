import { linkAlertOperation } from '@/lib/alerts/operations';
import { linkAlertToIncident } from '@/lib/alerts/service';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(linkAlertOperation, async ({ actor, params, body, requestId }) => json(await linkAlertToIncident(params.number, body.alertId, { actor, requestId })));
