import { ingestAlertmanagerOperation } from '@/lib/alerts/operations';
import { receiveAlerts } from '@/lib/alerts/ingest';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(ingestAlertmanagerOperation, async ({ request }) => json(await receiveAlerts('alertmanager', request), { status: 202 }));
