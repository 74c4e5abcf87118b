import { apiRoute } from '@/lib/platform/http/route';
import { pagesStreamOperation } from '@/lib/oncall/operations';
import { pagesStream } from '@/lib/oncall/stream';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(pagesStreamOperation, async ({ request }) => pagesStream(request.signal));
