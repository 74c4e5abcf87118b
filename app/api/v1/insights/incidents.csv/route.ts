import { apiRoute } from '@/lib/platform/http/route';
import { ValidationError } from '@/lib/platform/errors';
import { incidentsCsv } from '@/lib/insights/export';
import { insightsCsvOperation } from '@/lib/insights/operations';
import { resolveFilter } from '@/lib/insights/schema';

export const GET = apiRoute(insightsCsvOperation, async ({ actor, query }) => {
  const resolved = resolveFilter(query, new Date());
  if ('errors' in resolved) throw new ValidationError(resolved.errors.map((e) => ({ ...e, path: `query.${e.path}` })));
  const { from, to } = resolved.filter;
  const name = `sitrep-incidents-${from.toISOString().slice(0, 10)}-to-${to.toISOString().slice(0, 10)}${query.figure ? `-${query.figure}` : ''}.csv`;
  return new Response(incidentsCsv(resolved.filter, actor, query.figure), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
  });
});
