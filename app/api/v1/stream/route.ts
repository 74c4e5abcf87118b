import { dashboardStreamOperation } from '@/lib/incidents/operations';
import { dashboardStream } from '@/lib/incidents/stream';
import { apiRoute } from '@/lib/platform/http/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(dashboardStreamOperation, async ({ actor, request }) => dashboardStream(actor, request.signal));
