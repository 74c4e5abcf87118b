import Link from 'next/link';
import { Age, Countdown } from '@/components/incidents/countdown';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { StatusBadge } from '@/components/incidents/status-badge';
import { PrivateBadge } from '@/components/incidents/private-badge';
import { AlertStatusBadge } from '@/components/alerts/alert-status';
import { LiveRefresh } from '@/components/live/live-refresh';
import { firingAlertsSummary } from '@/lib/alerts/queries';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { requireUser } from '@/lib/platform/auth/session';
import { getDashboard } from '@/lib/incidents/queries';
import { roleLabels } from '@/lib/incidents/schema';
import { listActionItems } from '@/lib/postmortems/queries';
import type { ActionItemDto } from '@/lib/postmortems/schema';

export const metadata = { title: 'Dashboard' };

function ActionItemList({ items, empty }: { items: ActionItemDto[]; empty: string }) {
  if (!items.length) return <p className="text-sm text-zinc-500">{empty}</p>;
  return (
    <ul className="space-y-1 text-sm">
      {items.map((item) => (
        <li key={item.id} className="flex justify-between gap-2">
          <Link href={`/incidents/${item.incident.number}/review`} className="min-w-0 truncate hover:underline">
            <span className="font-mono text-xs text-zinc-500">{item.incident.key}</span> {item.title}
          </Link>
          <span className={`shrink-0 text-xs ${item.overdue ? 'font-medium text-red-600 dark:text-red-400' : 'text-zinc-500'}`}>
            {item.owner?.name ?? 'no owner'} · due {item.dueDate ?? '—'}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Open private incidents the viewer is no member of: their number, so the total is right, and nothing else. */
function HiddenIncidents({ count }: { count: number }) {
  return (
    <span data-testid="hidden-open">
      {count === 1 ? '1 private incident' : `${count} private incidents`} open, seen only by {count === 1 ? 'its' : 'their'} members and admins.
    </span>
  );
}

const shortRole = { commander: 'IC', tech_lead: 'TL', comms_lead: 'CL', scribe: 'Scribe' } as const;

export default async function DashboardPage() {
  const actor = await requireUser('read');
  const [dashboard, myItems, overdueItems, alerts] = await Promise.all([getDashboard(actor), listActionItems(actor, { ownerId: actor.id, take: 20 }), listActionItems(actor, { overdue: true, take: 20 }), firingAlertsSummary(actor)]);

  return (
    <div className="space-y-5">
      <LiveRefresh channel="dashboard" />
      {/* Alerts refresh the page at most every 2 s: a storm must not re-render it continuously. */}
      <LiveRefresh channel="alerts" throttleMs={2_000} />
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Dashboard</h1>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            Signed in as {actor.name} ({actor.role}).
          </p>
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Open incidents by severity">
        {dashboard.countsBySeverity.map((count) => (
          <div key={count.key} className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
            <dt className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
              <SeverityBadge severity={count.key} /> {count.name}
            </dt>
            <dd className={`mt-1 text-2xl font-semibold tabular-nums ${count.open && count.key === 'SEV1' ? 'text-red-600 dark:text-red-400' : ''}`}>{count.open}</dd>
          </div>
        ))}
      </dl>

      <Card title={`Open incidents (${dashboard.openTotal + dashboard.hiddenOpen})`}>
        {dashboard.open.length === 0 && dashboard.hiddenOpen === 0 ? (
          <p className="text-sm text-zinc-500">No open incidents. Declare one with the button above or the d key.</p>
        ) : dashboard.open.length === 0 ? null : (
          <ul className="-m-4 divide-y divide-zinc-100 dark:divide-zinc-800">
            {dashboard.open.map((incident) => (
              <li key={incident.number} className="grid grid-cols-1 gap-1 px-4 py-3 lg:grid-cols-[minmax(0,1fr)_16rem] lg:gap-4">
                <div className="min-w-0">
                  <div className="flex flex-wrap items-center gap-2">
                    <SeverityBadge severity={incident.severity.key} name={incident.severity.name} />
                    <Link href={`/incidents/${incident.number}`} className="font-mono text-xs font-semibold text-zinc-500 hover:underline">
                      {incident.key}
                    </Link>
                    <Link href={`/incidents/${incident.number}`} className="min-w-0 truncate font-medium hover:underline">
                      {incident.title}
                    </Link>
                    <StatusBadge status={incident.status} />
                    {incident.private ? <PrivateBadge /> : null}
                    {incident.customerImpact ? <span className="text-xs font-medium text-red-600 dark:text-red-400">customer impact</span> : null}
                  </div>
                  <div className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs">
                    {incident.roles
                      .filter((r) => r.role !== 'scribe' || r.holder)
                      .map((r) =>
                        r.holder ? (
                          <span key={r.role} className="text-zinc-600 dark:text-zinc-400" title={roleLabels[r.role]}>
                            {shortRole[r.role]}: {r.holder.name}
                          </span>
                        ) : (
                          <span key={r.role} className="font-medium text-red-600 dark:text-red-400" title={`${roleLabels[r.role]} is unfilled`}>
                            No {shortRole[r.role]}
                          </span>
                        ),
                      )}
                  </div>
                  {incident.latest ? (
                    <p className="mt-1 truncate text-xs text-zinc-500 dark:text-zinc-400" title={incident.latest.body}>
                      <RelativeTime date={incident.latest.occurredAt} />
                      {incident.latest.actor ? ` · ${incident.latest.actor}` : ''}: {incident.latest.body.replace(/\s+/g, ' ')}
                    </p>
                  ) : null}
                </div>
                <div className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs lg:flex-col lg:items-end">
                  <span className="text-zinc-600 dark:text-zinc-400">
                    open <Age since={incident.declaredAt} />
                  </span>
                  {incident.responseDueAt ? <Countdown due={incident.responseDueAt} label="response" /> : <span className="text-emerald-700 dark:text-emerald-400">acknowledged</span>}
                  <Countdown due={incident.nextUpdateDueAt} label="next update" />
                  {incident.checklist ? (
                    <span className="tabular-nums text-zinc-600 dark:text-zinc-400" title="Checklist steps done or skipped">
                      checklist {incident.checklist.done + incident.checklist.skipped}/{incident.checklist.total}
                    </span>
                  ) : null}
                </div>
              </li>
            ))}
            {dashboard.openTotal > dashboard.open.length ? (
              <li className="px-4 py-3 text-sm text-zinc-500">
                The {dashboard.open.length} most severe of {dashboard.openTotal} open incidents.{' '}
                <Link href="/incidents?status=open" className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                  All open incidents
                </Link>
              </li>
            ) : null}
            {dashboard.hiddenOpen ? (
              <li className="px-4 py-3 text-sm text-zinc-500">
                <HiddenIncidents count={dashboard.hiddenOpen} />
              </li>
            ) : null}
          </ul>
        )}
        {dashboard.open.length === 0 && dashboard.hiddenOpen ? (
          <p className="text-sm text-zinc-500">
            <HiddenIncidents count={dashboard.hiddenOpen} />
          </p>
        ) : null}
      </Card>

      {alerts.counts.firing + alerts.counts.acknowledged + alerts.counts.silenced > 0 ? (
        <Card
          title={`Firing alerts (${alerts.counts.firing})`}
          actions={
            <Link href="/alerts" className="text-xs text-sky-700 hover:underline dark:text-sky-400">
              {alerts.counts.acknowledged} acknowledged · {alerts.counts.silenced} silenced →
            </Link>
          }
        >
          {alerts.firing.length === 0 ? (
            <p className="text-sm text-zinc-500">Nothing fires unacknowledged.</p>
          ) : (
            <ul aria-label="Firing alerts" className="space-y-1 text-sm">
              {alerts.firing.map((alert) => (
                <li key={alert.id} className="flex items-center justify-between gap-2">
                  <span className="flex min-w-0 items-center gap-1.5">
                    <AlertStatusBadge status={alert.status} />
                    <SeverityBadge severity={alert.severity} />
                    <Link href={`/alerts?sourceId=${alert.sourceId}`} className="min-w-0 truncate hover:underline" title={alert.title}>
                      {alert.title}
                    </Link>
                  </span>
                  <span className="shrink-0 text-xs text-zinc-500">
                    {alert.incident ? (
                      <Link href={`/incidents/${alert.incident.number}`} className="mr-2 font-mono font-semibold text-sky-700 hover:underline dark:text-sky-400">
                        {alert.incident.key}
                      </Link>
                    ) : null}
                    ×{alert.count} · <RelativeTime date={alert.lastSeenAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}

      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <Card title="My incidents">
          {dashboard.mine.length === 0 ? (
            <p className="text-sm text-zinc-500">You hold no role in an open incident.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {dashboard.mine.map((incident) => (
                <li key={incident.number} className="flex justify-between gap-2">
                  <Link href={`/incidents/${incident.number}`} className="min-w-0 truncate hover:underline">
                    <span className="font-mono text-xs text-zinc-500">{incident.key}</span> {incident.title}
                  </Link>
                  <span className="shrink-0 text-xs text-zinc-500">{incident.roles.map((r) => roleLabels[r]).join(', ')}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={`My action items (${myItems.length})`}>
          <ActionItemList items={myItems} empty="No open action items for you." />
        </Card>
        <Card title={`Overdue action items (${overdueItems.length})`}>
          <ActionItemList items={overdueItems} empty="No action item is overdue." />
        </Card>
        <Card title="Resolved in the last 7 days">
          {dashboard.recentlyResolved.length === 0 ? (
            <p className="text-sm text-zinc-500">Nothing resolved recently.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {dashboard.recentlyResolved.map((incident) => (
                <li key={incident.number} className="flex justify-between gap-2">
                  <Link href={`/incidents/${incident.number}`} className="min-w-0 truncate hover:underline">
                    <span className="font-mono text-xs text-zinc-500">{incident.key}</span> {incident.title}
                  </Link>
                  <span className="shrink-0 text-xs text-zinc-500">
                    <RelativeTime date={incident.resolvedAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
