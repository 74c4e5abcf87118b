// An Atom feed of public status updates: one entry per update, newest first. Same data and the
// same whole-response caching as the status page.
import { statusFeedResponse } from '@/lib/communications/status-page';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return statusFeedResponse(new URL(request.url).origin);
}
