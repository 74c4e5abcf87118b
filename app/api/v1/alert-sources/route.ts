import { createSourceOperation, listSourcesOperation } from '@/lib/alerts/operations';
import { listSources } from '@/lib/alerts/queries';
import { createSource } from '@/lib/alerts/service';
import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';

export const GET = apiRoute(listSourcesOperation, async () => json({ items: await listSources() }));

export const POST = apiRoute(createSourceOperation, async ({ actor, body, requestId }) => {
  const source = await createSource(body, { actor, requestId });
  return json(source, { status: 201, headers: { etag: etag(source.version) } });
});
