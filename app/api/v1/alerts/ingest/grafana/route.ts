import { ingestGrafanaOperation } from '@/lib/alerts/operations';
import { receiveAlerts } from '@/lib/alerts/ingest';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(ingestGrafanaOperation, async ({ request }) => json(await receiveAlerts('grafana', request), { status: 202 }));
