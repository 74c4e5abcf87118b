import { apiRoute } from '@/lib/platform/http/route';
import { publicStatusOperation } from '@/lib/communications/operations';
import { statusJsonResponse } from '@/lib/communications/status-page';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(publicStatusOperation, async () => statusJsonResponse());
