import { apiRoute, json } from '@/lib/platform/http/route';
import { listChecklistsOperation, attachChecklistOperation } from '@/lib/checklists/operations';
import { listChecklists } from '@/lib/checklists/queries';
import { attachRunbook } from '@/lib/checklists/service';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentIdByNumber } from '@/lib/incidents/queries';
import { incidentKey } from '@/lib/incidents/schema';

export const GET = apiRoute(listChecklistsOperation, async ({ params }) => {
  const incidentId = await incidentIdByNumber(params.number);
  if (!incidentId) throw new NotFoundError(`${incidentKey(params.number)} does not exist.`);
  return json({ items: await listChecklists(incidentId) });
});

export const POST = apiRoute(attachChecklistOperation, async ({ actor, params, body, requestId }) =>
  json(await attachRunbook(params.number, body.runbookId, { actor, requestId }), { status: 201 }),
);
