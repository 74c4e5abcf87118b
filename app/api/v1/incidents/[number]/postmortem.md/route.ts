import { apiRoute } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentKey } from '@/lib/incidents/schema';
import { postmortemMarkdownOperation } from '@/lib/postmortems/operations';
import { getPostmortem } from '@/lib/postmortems/queries';
import { resolveIncident } from '@/lib/incidents/queries';

export const GET = apiRoute(postmortemMarkdownOperation, async ({ actor, params }) => {
  await resolveIncident(params.number, actor);
  const review = await getPostmortem(params.number, actor);
  if (!review) throw new NotFoundError(`${incidentKey(params.number)} has no review yet.`);
  return new Response(review.markdown, {
    headers: {
      'content-type': 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="${review.incident.key}-review.md"`,
      'cache-control': 'no-store',
    },
  });
});
