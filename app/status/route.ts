// The public status page: no sign-in, no script, readable anywhere; rendered whole and served
// from memory by the request edge while nothing on it changes (lib/communications/status-page.ts).
import { statusPageResponse } from '@/lib/communications/status-page';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  return statusPageResponse();
}
