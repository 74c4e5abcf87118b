import { resolveAlertOperation } from '@/lib/alerts/operations';
import { resolveAlert } from '@/lib/alerts/service';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(resolveAlertOperation, async ({ actor, params, requestId }) => json(await resolveAlert(params.id, { actor, requestId })));
