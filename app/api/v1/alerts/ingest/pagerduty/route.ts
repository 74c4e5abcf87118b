import { ingestPagerDutyOperation } from '@/lib/alerts/operations';
import { receiveAlerts } from '@/lib/alerts/ingest';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(ingestPagerDutyOperation, async ({ request }) => json(await receiveAlerts('pagerduty', request), { status: 202 }));
