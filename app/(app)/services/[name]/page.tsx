import type { Metadata } from 'next';
import Link from 'next/link';
import { shortDuration } from '@/components/insights/chart-frame';
import { FigureCard } from '@/components/insights/figure-card';
import { TrendChart } from '@/components/insights/trend-chart';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { StatusBadge } from '@/components/incidents/status-badge';
import { RunbookLabels } from '@/components/runbooks/runbook-labels';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { requireUser } from '@/lib/platform/auth/session';
import { figureDefinitions } from '@/lib/insights/definitions';
import { getServiceOverview } from '@/lib/insights/service-overview';
import { listSeverities } from '@/lib/severities/queries';
import type { IncidentStatus } from '@/lib/incidents/lifecycle';

type Params = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function ServicePage({ params }: Params) {
  const actor = await requireUser('read');
  const service = decodeURIComponent((await params).name).slice(0, 80);
  const [overview, severities] = await Promise.all([getServiceOverview(service, actor), listSeverities()]);
  const { totals } = overview.insights;
  const insightsLink = `/insights?range=365&service=${encodeURIComponent(service)}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <p className="text-xs text-zinc-500">Service</p>
          <h1 className="font-mono text-xl font-semibold">{service}</h1>
        </div>
        <Link href={insightsLink} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
          All figures in Insights →
        </Link>
      </div>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4" aria-label={`${service} over the last 365 days`}>
        <FigureCard label="Incidents (365 days)" value={totals.incidents} definition={figureDefinitions.incidents} />
        <FigureCard label="Time to resolve" value={shortDuration(totals.mttr.median)} detail={`p90 ${shortDuration(totals.mttr.p90)}`} definition={figureDefinitions.mttr} />
        <FigureCard label="Time to mitigate" value={shortDuration(totals.mttm.median)} detail={`p90 ${shortDuration(totals.mttm.p90)}`} definition={figureDefinitions.mttm} />
        <FigureCard label="Open follow-ups" value={overview.openFollowUps.length} detail={`${overview.openFollowUps.filter((i) => i.overdue).length} overdue`} definition={figureDefinitions.actionItems} tone={overview.openFollowUps.some((i) => i.overdue) ? 'bad' : 'plain'} />
      </dl>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          <TrendChart insights={overview.insights} severities={severities.map((s) => s.key)} wide />
          <Card title="Recent incidents">
            {overview.recent.length ? (
              <ul className="space-y-1.5 text-sm">
                {overview.recent.map((incident) => (
                  <li key={incident.number} className="flex flex-wrap items-center gap-2">
                    <SeverityBadge severity={incident.severity} />
                    <Link href={`/incidents/${incident.number}`} className="min-w-0 flex-1 truncate hover:underline">
                      <span className="font-mono text-xs text-zinc-500">{incident.key}</span> {incident.title}
                    </Link>
                    <StatusBadge status={incident.status as IncidentStatus} />
                    <span className="text-xs text-zinc-500">
                      <RelativeTime date={incident.declaredAt} />
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-zinc-500">No incident has listed {service} yet.</p>
            )}
          </Card>
        </div>
        <div className="space-y-4">
          <Card title={`Open follow-ups (${overview.openFollowUps.length})`}>
            {overview.openFollowUps.length ? (
              <ul aria-label="Open follow-ups" className="space-y-1.5 text-sm">
                {overview.openFollowUps.map((item) => (
                  <li key={item.id}>
                    <Link href={`/incidents/${item.incident.number}/review`} className="hover:underline">
                      <span className="font-mono text-xs text-zinc-500">{item.incident.key}</span> {item.title}
                    </Link>
                    <div className={`text-xs ${item.overdue ? 'font-medium text-red-600 dark:text-red-400' : 'text-zinc-500'}`}>
                      {item.owner?.name ?? 'no owner'} · due {item.dueDate ?? '—'}
                      {item.overdue ? ' (overdue)' : ''}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-zinc-500">Nothing open.</p>
            )}
          </Card>
          <Card title="Runbooks for it">
            {overview.runbooks.length ? (
              <ul className="space-y-1.5 text-sm">
                {overview.runbooks.map((runbook) => (
                  <li key={runbook.id}>
                    <Link href={`/runbooks/${runbook.id}`} className="font-medium hover:underline">
                      {runbook.title}
                    </Link>
                    <div className="mt-0.5">
                      <RunbookLabels severities={runbook.severities} services={runbook.services} tags={runbook.tags} />
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-zinc-500">
                No runbook is tagged for {service}. <Link href="/runbooks/new" className="text-sky-700 underline dark:text-sky-400">Write one</Link>.
              </p>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}
