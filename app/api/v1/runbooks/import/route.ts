import { apiRoute, json } from '@/lib/platform/http/route';
import { importRunbooksOperation } from '@/lib/runbooks/operations';
import { importRunbooks } from '@/lib/runbooks/service';

export const POST = apiRoute(importRunbooksOperation, async ({ actor, body, requestId }) => {
  const result = await importRunbooks(body, { actor, requestId });
  return json(result, { status: body.dryRun ? 200 : 201 });
});
