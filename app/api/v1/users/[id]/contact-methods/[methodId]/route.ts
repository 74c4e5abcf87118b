import { apiRoute } from '@/lib/platform/http/route';
import { deleteContactMethodOperation } from '@/lib/oncall/operations';
import { deleteContactMethod } from '@/lib/oncall/service';

export const DELETE = apiRoute(deleteContactMethodOperation, async ({ actor, params, requestId }) => {
  await deleteContactMethod(params.id, params.methodId, { actor, requestId });
  return new Response(null, { status: 204 });
});
