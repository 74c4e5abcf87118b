import { apiRoute, json } from '@/lib/platform/http/route';
import { listRevisionsOperation } from '@/lib/postmortems/operations';
import { listRevisions } from '@/lib/postmortems/queries';

export const GET = apiRoute(listRevisionsOperation, async ({ params }) => json({ items: await listRevisions(params.number, params.key) }));
