import { apiRoute, json } from '@/lib/platform/http/route';
import { publicStatusOperation } from '@/lib/communications/operations';
import { getPublicStatus, STATUS_CACHE_SECONDS } from '@/lib/communications/status-page';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(publicStatusOperation, async () =>
  json(await getPublicStatus(), { headers: { 'cache-control': `public, max-age=${STATUS_CACHE_SECONDS}`, 'access-control-allow-origin': '*' } }),
);
