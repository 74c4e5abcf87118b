import { resolveIncident } from '@/lib/incidents/queries';
import { apiRoute } from '@/lib/platform/http/route';
import { reviewStreamOperation } from '@/lib/postmortems/operations';
import { reviewStream } from '@/lib/postmortems/stream';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(reviewStreamOperation, async ({ params, request }) => reviewStream(await resolveIncident(params.number), request.signal));
