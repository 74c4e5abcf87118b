import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { createPolicyOperation, listPoliciesOperation } from '@/lib/oncall/operations';
import { listPolicies } from '@/lib/oncall/queries';
import { createPolicy } from '@/lib/oncall/service';

export const GET = apiRoute(listPoliciesOperation, async () => json({ items: await listPolicies() }));

export const POST = apiRoute(createPolicyOperation, async ({ actor, body, requestId }) => {
  const policy = await createPolicy(body, { actor, requestId });
  return json(policy, { status: 201, headers: { location: `/api/v1/escalation-policies/${policy.id}`, etag: etag(policy.version) } });
});
