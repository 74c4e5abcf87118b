import { apiRoute, json } from '@/lib/platform/http/route';
import { mergeIncidentOperation } from '@/lib/incidents/operations';
import { mergeIncident } from '@/lib/incidents/service';

export const POST = apiRoute(mergeIncidentOperation, async ({ actor, params, body, requestId }) => json((await mergeIncident(params.number, body, { actor, requestId })).survivor));
