import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { deletePolicyOperation, getPolicyOperation, updatePolicyOperation } from '@/lib/oncall/operations';
import { getPolicy } from '@/lib/oncall/queries';
import { deletePolicy, updatePolicy } from '@/lib/oncall/service';

export const GET = apiRoute(getPolicyOperation, async ({ params }) => {
  const policy = await getPolicy(params.id);
  if (!policy) throw new NotFoundError('That escalation policy does not exist.');
  return json(policy, { headers: { etag: etag(policy.version) } });
});

export const PUT = apiRoute(updatePolicyOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'escalation policy' });
  const policy = await updatePolicy(params.id, body, { ifVersion }, { actor, requestId });
  return json(policy, { headers: { etag: etag(policy.version) } });
});

export const DELETE = apiRoute(deletePolicyOperation, async ({ actor, params, requestId }) => {
  await deletePolicy(params.id, { actor, requestId });
  return new Response(null, { status: 204 });
});
