import { apiRoute, json } from '@/lib/platform/http/route';
import { createActionOperation, listActionsOperation } from '@/lib/remediation/operations';
import { listActions } from '@/lib/remediation/queries';
import { createAction } from '@/lib/remediation/service';

export const GET = apiRoute(listActionsOperation, async ({ actor }) => json({ items: await listActions(actor) }));

export const POST = apiRoute(createActionOperation, async ({ actor, body, requestId }) => {
  const { action, signingSecret } = await createAction(body, { actor, requestId });
  return json({ ...action, signingSecret }, { status: 201, headers: { location: `/api/v1/remediation-actions/${action.id}` } });
});
