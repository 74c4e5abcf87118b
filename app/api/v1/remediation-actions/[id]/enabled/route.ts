import { apiRoute, json } from '@/lib/platform/http/route';
import { setActionEnabledOperation } from '@/lib/remediation/operations';
import { setActionEnabled } from '@/lib/remediation/service';

export const POST = apiRoute(setActionEnabledOperation, async ({ actor, params, body, requestId }) => json(await setActionEnabled(params.id, body.enabled, { actor, requestId })));
