import { deleteSourceOperation, getSourceOperation, updateSourceOperation } from '@/lib/alerts/operations';
import { getSource } from '@/lib/alerts/queries';
import { deleteSource, updateSource } from '@/lib/alerts/service';
import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';

export const GET = apiRoute(getSourceOperation, async ({ params }) => {
  const source = await getSource(params.id);
  return json(source, { headers: { etag: etag(source.version) } });
});

export const PUT = apiRoute(updateSourceOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'alert source' });
  const source = await updateSource(params.id, body, { ifVersion }, { actor, requestId });
  return json(source, { headers: { etag: etag(source.version) } });
});

export const DELETE = apiRoute(deleteSourceOperation, async ({ actor, params, requestId }) => {
  await deleteSource(params.id, { actor, requestId });
  return new Response(null, { status: 204 });
});
