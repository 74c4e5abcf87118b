import { apiRoute } from '@/lib/platform/http/route';
import { removeOverrideOperation } from '@/lib/oncall/operations';
import { removeOverride } from '@/lib/oncall/service';

export const DELETE = apiRoute(removeOverrideOperation, async ({ actor, params, requestId }) => {
  await removeOverride(params.id, params.overrideId, { actor, requestId });
  return new Response(null, { status: 204 });
});
