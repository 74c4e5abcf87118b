import { getAlertOperation } from '@/lib/alerts/operations';
import { getAlert } from '@/lib/alerts/queries';
import { apiRoute, json } from '@/lib/platform/http/route';

export const GET = apiRoute(getAlertOperation, async ({ actor, params }) => json(await getAlert(params.id, actor)));
