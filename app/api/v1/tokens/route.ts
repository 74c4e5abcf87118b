import { apiRoute, json } from '@/lib/platform/http/route';
import { createTokenOperation, listTokensOperation } from '@/lib/tokens/operations';
import { listApiTokens } from '@/lib/tokens/queries';
import { createApiToken } from '@/lib/tokens/service';

export const GET = apiRoute(listTokensOperation, async () => json({ items: await listApiTokens() }));

export const POST = apiRoute(createTokenOperation, async ({ actor, body, requestId }) =>
  json(await createApiToken({ email: body.email ?? actor.email, name: body.name }, { actor, requestId }), { status: 201 }),
);
