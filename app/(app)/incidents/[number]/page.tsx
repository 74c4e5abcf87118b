import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { IncidentAlerts } from '@/components/alerts/incident-alerts';
import { ChecklistPanel } from '@/components/checklists/checklist-panel';
import { CommunicationsPanel } from '@/components/communications/communications-panel';
import { RemediationPanel } from '@/components/remediation/remediation-panel';
import { IncidentControls, IncidentDetailsForm } from '@/components/incidents/command/incident-controls';
import { KeyTimes } from '@/components/incidents/command/key-times';
import { MembersPanel } from '@/components/incidents/command/members-panel';
import { PrivateBadge } from '@/components/incidents/private-badge';
import { PageDialog } from '@/components/oncall/page-dialog';
import { RolesPanel } from '@/components/incidents/command/roles-panel';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { StatusBadge } from '@/components/incidents/status-badge';
import { Timeline } from '@/components/timeline/timeline';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { getCommandView } from '@/lib/incidents/command-view';
import { listRelatedIncidents } from '@/lib/insights/related';
import { RelatedIncidents } from '@/components/insights/related-incidents';
import { ServiceChips } from '@/components/insights/service-chips';
import { incidentNumberParam } from '@/lib/incidents/page-params';
import { requireUser } from '@/lib/platform/auth/session';

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `INC-${incidentNumberParam((await params).number)}` };
}

export default async function CommandViewPage({ params }: Params) {
  const actor = await requireUser('read');
  const number = incidentNumberParam((await params).number);
  const view = await getCommandView(number, actor);
  if (!view) notFound();
  const related = await listRelatedIncidents(number, actor);
  const { incident, severities, people, checklists, runbookOptions, remediationActions, deliveries, updates, templates, actionItems, timeline, canWrite } = view;
  const extras = view;

  return (
    <div className="space-y-4">
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-mono font-semibold text-zinc-500">{incident.key}</span>
          <SeverityBadge severity={incident.severity} name={extras.severity.name} />
          <StatusBadge status={incident.status} />
          {incident.private ? <PrivateBadge /> : null}
          {incident.customerImpact ? (
            <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-200 dark:bg-red-950 dark:text-red-300 dark:ring-red-900">Customer impact</span>
          ) : null}
          <span className="text-xs text-zinc-500">
            declared <RelativeTime date={incident.times.declaredAt} />
            {extras.declaredBy ? ` by ${extras.declaredBy.name}` : ''} · version {incident.version}
          </span>
          <Link href={`/incidents/${number}/review`} className="ml-auto text-xs text-sky-700 hover:underline dark:text-sky-400">
            Post-incident review
          </Link>
          <Link href={`/incidents/${number}/timeline`} className="text-xs text-sky-700 hover:underline dark:text-sky-400">
            Wall screen ↗
          </Link>
          {canWrite ? <PageDialog incidentNumber={number} /> : null}
        </div>
        <h1 className="text-xl font-semibold leading-tight">{incident.title}</h1>
        {incident.summary ? <p className="max-w-3xl whitespace-pre-wrap text-sm text-zinc-700 dark:text-zinc-300">{incident.summary}</p> : null}
        <ServiceChips services={incident.services} />
        {canWrite ? (
          <div className="space-y-1">
            <IncidentControls incident={incident} severities={severities} />
            <IncidentDetailsForm incident={incident} />
          </div>
        ) : null}
      </header>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-4">
        {checklists.length || (canWrite && runbookOptions.length) ? (
          <Card title="Checklists">
            <ChecklistPanel number={number} checklists={checklists} runbooks={runbookOptions} canWrite={canWrite} actions={remediationActions} />
          </Card>
        ) : null}
        {deliveries.length || (canWrite && remediationActions.length) ? (
          <Card title="Remediation">
            <RemediationPanel number={number} actions={remediationActions} deliveries={deliveries} canFire={canWrite} />
          </Card>
        ) : null}
        {actionItems.length ? (
          <Card title={`Action items (${actionItems.filter((i) => i.status === 'open').length} open)`} actions={<Link href={`/incidents/${number}/review`} className="text-xs text-sky-700 hover:underline dark:text-sky-400">Review →</Link>}>
            <ul aria-label="Action items" className="space-y-1 text-sm">
              {actionItems.map((item) => (
                <li key={item.id} className="flex justify-between gap-2">
                  <span className={`min-w-0 truncate ${item.status === 'done' ? 'text-zinc-500 line-through' : ''}`}>{item.title}</span>
                  <span className={`shrink-0 text-xs ${item.overdue ? 'font-medium text-red-600 dark:text-red-400' : 'text-zinc-500'}`}>
                    {item.owner?.name ?? 'no owner'} · due {item.dueDate ?? '—'}
                  </span>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
        <Card title="Communications">
          <CommunicationsPanel
            number={number}
            updates={updates}
            templates={templates}
            nextUpdateDueAt={view.nextUpdateDueAt}
            cadenceMinutes={extras.severity.updateCadenceMinutes}
            youOweTheUpdate={view.youOweTheUpdate}
            canPost={canWrite}
            isPrivate={incident.private}
          />
        </Card>
        <Card className="overflow-hidden [&>div]:p-0">
          <Timeline number={number} me={{ email: actor.email, name: actor.name }} initial={timeline} canWrite={canWrite} />
        </Card>
        </div>
        <aside className="space-y-4" aria-label="Incident details">
          {view.alerts.alerts.length ? (
            <Card title="Alerts">
              <IncidentAlerts number={number} version={incident.version} status={incident.status} initial={view.alerts.alerts} canWrite={canWrite} />
            </Card>
          ) : null}
          <Card title="Roles">
            <RolesPanel incident={incident} roles={extras.roles} history={extras.history} people={people} canWrite={canWrite} />
          </Card>
          {view.members ? (
            <Card title={`Members (${view.members.length})`}>
              <MembersPanel number={number} members={view.members} people={people} canWrite={canWrite} />
            </Card>
          ) : null}
          <Card title="Key times">
            <KeyTimes incident={incident} canWrite={canWrite} />
          </Card>
          {incident.services.length ? (
            <Card title="It happened before">
              <RelatedIncidents items={related} canResolve={canWrite} />
            </Card>
          ) : null}
          <Card title={`${extras.severity.key} targets`}>
            <dl className="grid grid-cols-2 gap-y-0.5 text-xs">
              <dt className="text-zinc-500">Respond within</dt>
              <dd className="text-right">{extras.severity.responseTargetMinutes} min</dd>
              <dt className="text-zinc-500">Update every</dt>
              <dd className="text-right">{extras.severity.updateCadenceMinutes} min</dd>
            </dl>
          </Card>
        </aside>
      </div>
    </div>
  );
}
