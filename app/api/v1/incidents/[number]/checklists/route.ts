import { apiRoute, json } from '@/lib/platform/http/route';
import { listChecklistsOperation, attachChecklistOperation } from '@/lib/checklists/operations';
import { listChecklists } from '@/lib/checklists/queries';
import { attachRunbook } from '@/lib/checklists/service';
import { resolveIncident } from '@/lib/incidents/queries';

export const GET = apiRoute(listChecklistsOperation, async ({ actor, params }) => {
  const incident = await resolveIncident(params.number, actor);
  return json({ items: await listChecklists(incident.id) });
});

export const POST = apiRoute(attachChecklistOperation, async ({ actor, params, body, requestId }) =>
  json(await attachRunbook(params.number, body.runbookId, { actor, requestId }), { status: 201 }),
);
