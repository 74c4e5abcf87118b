import { apiRoute, json } from '@/lib/platform/http/route';
import { ValidationError } from '@/lib/platform/errors';
import { insightsOperation } from '@/lib/insights/operations';
import { cachedInsights, endOfMinute, minuteOf } from '@/lib/insights/queries';
import { resolveFilter } from '@/lib/insights/schema';

export const GET = apiRoute(insightsOperation, async ({ actor, query }) => {
  const now = minuteOf(new Date());
  const resolved = resolveFilter(query, endOfMinute(now));
  if ('errors' in resolved) throw new ValidationError(resolved.errors.map((e) => ({ ...e, path: `query.${e.path}` })));
  return json(await cachedInsights(resolved.filter, actor, now));
});
