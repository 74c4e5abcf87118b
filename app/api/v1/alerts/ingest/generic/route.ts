import { ingestGenericOperation } from '@/lib/alerts/operations';
import { receiveAlerts } from '@/lib/alerts/ingest';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(ingestGenericOperation, async ({ request }) => json(await receiveAlerts('generic', request), { status: 202 }));
