import { acknowledgeAlertOperation } from '@/lib/alerts/operations';
import { acknowledgeAlert } from '@/lib/alerts/service';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(acknowledgeAlertOperation, async ({ actor, params, requestId }) => json(await acknowledgeAlert(params.id, { actor, requestId })));
