import { apiRoute, json } from '@/lib/platform/http/route';
import { revokeTokenOperation } from '@/lib/tokens/operations';
import { revokeApiToken } from '@/lib/tokens/service';

export const DELETE = apiRoute(revokeTokenOperation, async ({ actor, params, requestId }) =>
  json(await revokeApiToken(params.id, { actor, requestId })),
);
