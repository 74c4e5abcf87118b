import { apiRoute, json } from '@/lib/platform/http/route';
import { runbookFeedbackOperation } from '@/lib/insights/operations';
import { getRunbookFeedback } from '@/lib/insights/runbook-feedback';

export const GET = apiRoute(runbookFeedbackOperation, async ({ actor, params }) => json(await getRunbookFeedback(params.id, actor)));
