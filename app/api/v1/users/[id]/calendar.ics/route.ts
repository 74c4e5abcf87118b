import { apiRoute } from '@/lib/platform/http/route';
import { FEED_REFRESH_SECONDS } from '@/lib/oncall/calendar';
import { userCalendarOperation } from '@/lib/oncall/operations';
import { userCalendar } from '@/lib/oncall/queries';
import { authenticateFeedKey, findPerson } from '@/lib/oncall/service';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(
  userCalendarOperation,
  async ({ actor, params }) => {
    const user = await findPerson(params.id, actor);
    return new Response(await userCalendar(user.email), {
      headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': `private, max-age=${FEED_REFRESH_SECONDS}`, 'content-disposition': 'inline; filename="on-call.ics"' },
    });
  },
  // Calendar apps cannot send a token: the feed's secret key in the URL stands in for it.
  {
    credential: async (request, params) => {
      const key = new URL(request.url).searchParams.get('key');
      return key === null ? undefined : authenticateFeedKey(key, { user: String(params.id ?? '') });
    },
  },
);
