import { apiRoute } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentKey } from '@/lib/incidents/schema';
import { postmortemMarkdownOperation } from '@/lib/postmortems/operations';
import { getPostmortem } from '@/lib/postmortems/queries';

export const GET = apiRoute(postmortemMarkdownOperation, async ({ params }) => {
  const review = await getPostmortem(params.number);
  if (!review) throw new NotFoundError(`${incidentKey(params.number)} has no review yet.`);
  return new Response(review.markdown, {
    headers: {
      'content-type': 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="${review.incident.key}-review.md"`,
      'cache-control': 'no-store',
    },
  });
});
