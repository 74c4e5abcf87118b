import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { getActionOperation, updateActionOperation } from '@/lib/remediation/operations';
import { getAction } from '@/lib/remediation/queries';
import { updateAction } from '@/lib/remediation/service';

export const GET = apiRoute(getActionOperation, async ({ actor, params }) => {
  const action = await getAction(params.id, actor);
  if (!action) throw new NotFoundError(`There is no remediation action ${params.id}.`);
  return json(action, { headers: { etag: etag(action.version) } });
});

export const PUT = apiRoute(updateActionOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'remediation action' });
  const action = await updateAction(params.id, body, { ifVersion }, { actor, requestId });
  return json(action, { headers: { etag: etag(action.version) } });
});
