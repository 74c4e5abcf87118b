import { apiRoute, json } from '@/lib/platform/http/route';
import { calendarFeedOperation } from '@/lib/oncall/operations';
import { calendarFeed } from '@/lib/oncall/service';

export const POST = apiRoute(calendarFeedOperation, async ({ actor, body, requestId }) => {
  const { feed, created } = await calendarFeed(body, { actor, requestId });
  return json(feed, { status: created ? 201 : 200 });
});
