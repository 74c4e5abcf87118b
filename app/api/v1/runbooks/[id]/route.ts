import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { getRunbookOperation, updateRunbookOperation } from '@/lib/runbooks/operations';
import { getRunbook } from '@/lib/runbooks/queries';
import { updateRunbook } from '@/lib/runbooks/service';

export const GET = apiRoute(getRunbookOperation, async ({ params, query }) => {
  const runbook = await getRunbook(params.id, query.version);
  return json(runbook, { headers: { etag: etag(runbook.version) } });
});

export const PUT = apiRoute(updateRunbookOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'runbook' });
  const { version } = await updateRunbook(params.id, body, { ifVersion }, { actor, requestId });
  return json(await getRunbook(params.id, version), { headers: { etag: etag(version) } });
});
