import { apiRoute } from '@/lib/platform/http/route';
import { FEED_REFRESH_SECONDS } from '@/lib/oncall/calendar';
import { scheduleCalendarOperation } from '@/lib/oncall/operations';
import { scheduleCalendar } from '@/lib/oncall/queries';
import { authenticateFeedKey } from '@/lib/oncall/service';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(
  scheduleCalendarOperation,
  async ({ params }) =>
    new Response(await scheduleCalendar(params.id), {
      headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': `private, max-age=${FEED_REFRESH_SECONDS}`, 'content-disposition': 'inline; filename="on-call.ics"' },
    }),
  // Calendar apps cannot send a token: the feed's secret key in the URL stands in for it.
  {
    credential: async (request, params) => {
      const key = new URL(request.url).searchParams.get('key');
      return key === null ? undefined : authenticateFeedKey(key, { scheduleId: String(params.id ?? '') });
    },
  },
);
