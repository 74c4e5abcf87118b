import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentKey } from '@/lib/incidents/schema';
import { generatePostmortemOperation, getPostmortemOperation, setPostmortemStatusOperation } from '@/lib/postmortems/operations';
import { getPostmortem } from '@/lib/postmortems/queries';
import { resolveIncident } from '@/lib/incidents/queries';
import { generatePostmortem, setPostmortemStatus } from '@/lib/postmortems/service';

export const POST = apiRoute(generatePostmortemOperation, async ({ actor, params, query, requestId }) => {
  const { review, created } = await generatePostmortem(params.number, { regenerate: query.regenerate }, { actor, requestId });
  return json(review, { status: created ? 201 : 200, headers: { etag: etag(review.version) } });
});

export const GET = apiRoute(getPostmortemOperation, async ({ actor, params }) => {
  await resolveIncident(params.number, actor);
  const review = await getPostmortem(params.number, actor);
  if (!review) throw new NotFoundError(`${incidentKey(params.number)} has no review yet; POST to generate it.`);
  return json(review, { headers: { etag: etag(review.version) } });
});

export const PATCH = apiRoute(setPostmortemStatusOperation, async ({ actor, params, body, requestId }) => {
  const review = await setPostmortemStatus(params.number, body, { actor, requestId });
  return json(review, { headers: { etag: etag(review.version) } });
});
