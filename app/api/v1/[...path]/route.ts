// Any /api/v1 path no route claims: a problem+json 404 like every other API error, pointing at
// the document that lists what exists. (A known path with an unsupported method gets Next's 405.)
import { randomUUID } from 'node:crypto';
import { problem } from '@/lib/platform/http/problem';

export const dynamic = 'force-dynamic';

function unknownRoute(request: Request): Response {
  const { pathname } = new URL(request.url);
  const shown = pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname;
  return problem(404, 'Not found', `There is no API route at ${shown}; GET /api/v1/openapi.json lists them all.`, randomUUID());
}

export { unknownRoute as GET, unknownRoute as POST, unknownRoute as PUT, unknownRoute as PATCH, unknownRoute as DELETE };
