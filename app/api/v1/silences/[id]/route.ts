import { endSilenceOperation } from '@/lib/alerts/operations';
import { endSilence } from '@/lib/alerts/service';
import { apiRoute, json } from '@/lib/platform/http/route';

export const DELETE = apiRoute(endSilenceOperation, async ({ actor, params, requestId }) => json(await endSilence(params.id, { actor, requestId })));
