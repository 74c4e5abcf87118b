import Link from 'next/link';
import { CalendarHeatmap } from '@/components/insights/calendar-heatmap';
import { shortDuration } from '@/components/insights/chart-frame';
import { DistributionChart } from '@/components/insights/distribution-chart';
import { FigureCard } from '@/components/insights/figure-card';
import { InsightsFilters } from '@/components/insights/insights-filters';
import { NoisyAlertsChart } from '@/components/insights/noisy-alerts-chart';
import { ServicesChart } from '@/components/insights/services-chart';
import { TrendChart } from '@/components/insights/trend-chart';
import { requireUser } from '@/lib/platform/auth/session';
import { figureDefinitions } from '@/lib/insights/definitions';
import { cachedInsights, endOfMinute, listServiceChoices, minuteOf } from '@/lib/insights/queries';
import { defaultFilter, insightsQuerySchema, resolveFilter, type CsvFigure } from '@/lib/insights/schema';
import { listSeverities } from '@/lib/severities/queries';

export const metadata = { title: 'Insights' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const percent = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '—');

// Every filter lives in the URL (a GET form), so a view is a link to share and the back button works.
export default async function InsightsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireUser('read');
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
  const parsed = insightsQuerySchema.safeParse(raw);
  const now = minuteOf(new Date());
  const resolved = parsed.success ? resolveFilter(parsed.data, endOfMinute(now)) : null;
  const problems = !parsed.success ? parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : resolved && 'errors' in resolved ? resolved.errors.map((e) => `${e.path}: ${e.message}`) : [];
  const filter = resolved && 'filter' in resolved ? resolved.filter : defaultFilter(endOfMinute(now));
  const [insights, severities, services] = await Promise.all([cachedInsights(filter, actor, now), listSeverities(), listServiceChoices(filter, actor)]);

  // The same filters for the CSV links, so each figure downloads exactly its incidents.
  const query = new URLSearchParams({
    from: filter.from.toISOString(),
    to: filter.to.toISOString(),
    ...(filter.severity ? { severity: filter.severity } : {}),
    ...(filter.service ? { service: filter.service } : {}),
  });
  const csv = (figure?: CsvFigure) => `/api/v1/insights/incidents.csv?${query.toString()}${figure ? `&figure=${figure}` : ''}`;
  const { totals } = insights;
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const lastDay = new Date(filter.to.getTime() - 1);
  const severityKeys = severities.map((s) => s.key);
  // A page that reached two people counts once for each: this is the load on people, not a count of pages.
  const paged = insights.pages.reduce((sum, p) => ({ pages: sum.pages + p.pages, outside: sum.outside + p.outsideWorkingHours }), { pages: 0, outside: 0 });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Insights</h1>
          <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="insights-range">
            Incidents declared {day(filter.from)} to {day(lastDay)}
            {filter.severity ? ` · ${filter.severity}` : ''}
            {filter.service ? ` · ${filter.service}` : ''} · times in UTC
          </p>
        </div>
        <a href={csv()} className="no-print text-sm text-sky-700 hover:underline dark:text-sky-400" download>
          Download the incidents as CSV
        </a>
      </div>
      <InsightsFilters
        values={{ range: filter.range, from: day(filter.from), to: day(lastDay), severity: filter.severity ?? '', service: filter.service ?? '', groupBy: filter.groupBy }}
        severities={severities}
        services={services}
      />
      {problems.length ? (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Showing the last 90 days instead: {problems.join('; ')}.
        </p>
      ) : null}

      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5" aria-label="Figures">
        <FigureCard label="Incidents declared" value={totals.incidents} definition={figureDefinitions.incidents} csvHref={csv('incidents')} />
        <FigureCard label="Time to detect" value={shortDuration(totals.mttd.median)} detail={`p90 ${shortDuration(totals.mttd.p90)}`} definition={figureDefinitions.mttd} csvHref={csv('mttd')} />
        <FigureCard label="Time to acknowledge" value={shortDuration(totals.mtta.median)} detail={`p90 ${shortDuration(totals.mtta.p90)}`} definition={figureDefinitions.mtta} csvHref={csv('mtta')} />
        <FigureCard label="Time to mitigate" value={shortDuration(totals.mttm.median)} detail={`p90 ${shortDuration(totals.mttm.p90)}`} definition={figureDefinitions.mttm} csvHref={csv('mttm')} />
        <FigureCard label="Time to resolve" value={shortDuration(totals.mttr.median)} detail={`p90 ${shortDuration(totals.mttr.p90)}`} definition={figureDefinitions.mttr} csvHref={csv('mttr')} />
        <FigureCard
          label="Response target met"
          value={percent(totals.responseTargetMet.met, totals.responseTargetMet.total)}
          detail={`${totals.responseTargetMet.met} of ${totals.responseTargetMet.total}`}
          definition={figureDefinitions.responseTarget}
          csvHref={csv('responseTarget')}
          tone={totals.responseTargetMet.total && totals.responseTargetMet.met / totals.responseTargetMet.total < 0.8 ? 'bad' : 'plain'}
        />
        <FigureCard
          label="Updates on time"
          value={percent(totals.updatesOnTime.onTime, totals.updatesOnTime.total)}
          detail={`${totals.updatesOnTime.onTime} of ${totals.updatesOnTime.total} due`}
          definition={figureDefinitions.updateCadence}
          csvHref={csv('updateCadence')}
        />
        <FigureCard
          label="Reviews published"
          value={percent(totals.reviewsPublished.published, totals.reviewsPublished.required)}
          detail={`${totals.reviewsPublished.published} of ${totals.reviewsPublished.required} within ${totals.reviewsPublished.withinDays} d`}
          definition={figureDefinitions.reviews}
          csvHref={csv('reviews')}
        />
        <FigureCard
          label="Action items"
          value={`${totals.actionItems.open} open`}
          detail={`${totals.actionItems.overdue} overdue · ${totals.actionItems.done} done · open for ${shortDuration(totals.actionItems.medianOpenAgeSeconds)} (median)`}
          definition={figureDefinitions.actionItems}
          csvHref={csv('actionItems')}
          tone={totals.actionItems.overdue ? 'bad' : 'plain'}
        />
        <div className="min-w-0 rounded-lg border border-zinc-200 bg-white px-3 py-2.5 dark:border-zinc-800 dark:bg-zinc-900">
          <dt className="text-xs text-zinc-500 dark:text-zinc-400">Response target by severity</dt>
          <dd>
            <ul className="mt-0.5 space-y-0.5 text-xs tabular-nums" aria-label="Response target met by severity">
              {severityKeys.map((key) => {
                const s = totals.responseTargetMet.bySeverity[key];
                return (
                  <li key={key} className="flex justify-between gap-2">
                    <span className="font-mono">{key}</span>
                    <span>{s && s.total ? `${percent(s.met, s.total)} (${s.met}/${s.total})` : '—'}</span>
                  </li>
                );
              })}
            </ul>
          </dd>
        </div>
        <FigureCard
          label="Pages per person"
          value={paged.pages}
          detail={
            insights.pages.length ? (
              <>
                {paged.outside} outside working hours
                <ul className="mt-1 space-y-0.5 tabular-nums" aria-label="Pages per person">
                  {insights.pages.slice(0, 5).map((p) => (
                    <li key={p.person.email} className="flex justify-between gap-2">
                      <span className="min-w-0 truncate">{p.person.name}</span>
                      <span className="whitespace-nowrap">
                        {p.pages}
                        {p.outsideWorkingHours ? ` · ${p.outsideWorkingHours} off-hours` : ''}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              'Nobody was paged about these incidents'
            )
          }
          definition={figureDefinitions.pages}
          csvHref={csv('pages')}
        />
        <FigureCard
          label="Alerts per incident"
          value={totals.alertsPerIncident.median ?? '—'}
          detail={`p90 ${totals.alertsPerIncident.p90 ?? '—'} · ${totals.alertsPerIncident.startedFromAlert} of ${totals.alertsPerIncident.incidents} started from an alert (${percent(totals.alertsPerIncident.startedFromAlert, totals.alertsPerIncident.incidents)})`}
          definition={figureDefinitions.alertsPerIncident}
          csvHref={csv('alerts')}
        />
      </dl>

      {totals.incidents === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700">
          No incident was declared in this range. <Link href="/insights?range=365" className="text-sky-700 underline dark:text-sky-400">Look at the last 365 days</Link>.
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2 print:grid-cols-1">
        <TrendChart insights={insights} severities={severityKeys} />
        <DistributionChart buckets={insights.timeToResolve} csvHref={csv('mttr')} />
        <ServicesChart services={insights.services} />
        <CalendarHeatmap calendar={insights.calendar} from={insights.from} to={insights.to} />
        <NoisyAlertsChart alerts={insights.noisiestAlerts} definition={figureDefinitions.noisiestAlerts} />
      </div>
    </div>
  );
}
