import { rotateSourceTokenOperation } from '@/lib/alerts/operations';
import { rotateSourceToken } from '@/lib/alerts/service';
import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(rotateSourceTokenOperation, async ({ actor, params, requestId }) => {
  const source = await rotateSourceToken(params.id, { actor, requestId });
  return json(source, { headers: { etag: etag(source.version) } });
});
