import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentIdByNumber } from '@/lib/incidents/queries';
import { incidentKey } from '@/lib/incidents/schema';
import { listTimelineOperation, postNoteOperation } from '@/lib/timeline/operations';
import { listTimelineAfter } from '@/lib/timeline/queries';
import { postNote } from '@/lib/timeline/service';

export const GET = apiRoute(listTimelineOperation, async ({ params, query }) => {
  const incidentId = await incidentIdByNumber(params.number);
  if (!incidentId) throw new NotFoundError(`${incidentKey(params.number)} does not exist.`);
  return json(await listTimelineAfter(incidentId, query.after, query.limit));
});

export const POST = apiRoute(postNoteOperation, async ({ actor, params, body, requestId }) =>
  json(await postNote(params.number, body, { actor, requestId }), { status: 201 }),
);
