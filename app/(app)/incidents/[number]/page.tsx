import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CommandHeader } from '@/components/incidents/command/command-header';
import { IncidentStateProvider } from '@/components/incidents/command/incident-state';
import { KeyTimes } from '@/components/incidents/command/key-times';
import { ChecklistPanel, CommunicationsPanel, IncidentAlerts, MembersPanel, MergeForm, RemediationPanel } from '@/components/incidents/command/lazy-panels';
import { PrivateBadge } from '@/components/incidents/private-badge';
import { PageDialog } from '@/components/oncall/page-dialog';
import { Panels, type Panel } from '@/components/incidents/command/panels';
import { RolesPanel } from '@/components/incidents/command/roles-panel';
import { Targets } from '@/components/incidents/command/targets';
import { DueIn } from '@/components/incidents/countdown';
import { StatusBadge } from '@/components/incidents/status-badge';
import { Composer } from '@/components/timeline/composer';
import { Timeline } from '@/components/timeline/timeline';
import { getCommandView } from '@/lib/incidents/command-view';
import { RelatedIncidents } from '@/components/insights/related-incidents';
import { incidentNumberParam } from '@/lib/incidents/page-params';
import { requireUser } from '@/lib/platform/auth/session';
import { formatDateTime } from '@/lib/platform/time';

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `INC-${incidentNumberParam((await params).number)}` };
}

function RailSection({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="border-t border-zinc-200 pt-2 first:border-t-0 first:pt-0 dark:border-zinc-800">
      <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</h2>
      {children}
    </section>
  );
}

/**
 * The command view: the timeline (with its composer on top) is the main column from the first
 * screen; the header says how the incident stands; roles, key times and targets form the rail;
 * checklists, remediation, updates, action items and related incidents are panels that open
 * beside (or, on narrow screens, over) the timeline, each saying how it stands while closed.
 */
export default async function CommandViewPage({ params }: Params) {
  const actor = await requireUser('read');
  const number = incidentNumberParam((await params).number);
  const view = await getCommandView(number, actor);
  if (!view) notFound();
  const { incident, severities, members, checklists, suggestedRunbooks, attachableRunbooks, remediationActions, remediation, deliveries, updates, templates, actionItems, related, timeline, canWrite, counters } = view;
  const writable = canWrite && !incident.mergedInto;
  const { checklist, deliveries: sent } = counters;

  const panels: Panel[] = [
    {
      id: 'checklists',
      label: 'Checklist',
      counter: checklist ? `${checklist.done}/${checklist.total}` : suggestedRunbooks.length ? 'runbook suggested' : undefined,
      tone: checklist && checklist.done === checklist.total ? 'good' : 'neutral',
      content: checklists.length || (writable && attachableRunbooks) ? (
        <ChecklistPanel number={number} incident={{ key: incident.key, number, services: incident.services, severity: incident.severity }} checklists={checklists} suggested={suggestedRunbooks} attachable={attachableRunbooks} canWrite={writable} actions={remediationActions} />
      ) : (
        <p className="text-sm text-zinc-500">No checklist; no runbooks are defined yet.</p>
      ),
    },
    {
      id: 'remediation',
      label: 'Remediation',
      counter: sent.failed ? `${sent.failed} failed` : sent.retrying ? `${sent.retrying} retrying` : sent.pending ? `${sent.pending} sending` : remediation.linked.length ? `${remediation.linked.length} for this incident` : undefined,
      tone: sent.failed ? 'danger' : sent.retrying ? 'warning' : 'neutral',
      content:
        deliveries.length || (writable && remediationActions.length) ? (
          <RemediationPanel number={number} actions={remediationActions} ranked={remediation} deliveries={deliveries} canFire={writable} />
        ) : (
          <p className="text-sm text-zinc-500">No remediation actions are defined.</p>
        ),
    },
    {
      id: 'updates',
      label: 'Updates',
      counter: view.nextUpdateDueAt ? <DueIn due={view.nextUpdateDueAt} /> : counters.updates ? String(counters.updates) : undefined,
      tone: view.youOweTheUpdate && view.nextUpdateDueAt ? 'warning' : 'neutral',
      content: (
        <CommunicationsPanel
          number={number}
          updates={updates}
          templates={templates}
          nextUpdateDueAt={view.nextUpdateDueAt}
          cadenceMinutes={view.severity.updateCadenceMinutes}
          youOweTheUpdate={view.youOweTheUpdate}
          canPost={writable}
          isPrivate={incident.private}
        />
      ),
    },
    // Alerts linked to the incident (the list keeps itself live); shown once there are any.
    ...(view.alerts.alerts.length
      ? [
          {
            id: 'alerts',
            label: 'Alerts',
            counter: String(view.alerts.alerts.length),
            content: <IncidentAlerts number={number} version={incident.version} status={incident.status} initial={view.alerts.alerts} canWrite={canWrite} />,
          } satisfies Panel,
        ]
      : []),
    {
      id: 'action-items',
      label: 'Action items',
      counter: actionItems.length ? `${counters.actionItemsOpen} open` : undefined,
      content: actionItems.length ? (
        <ul aria-label="Action items" className="space-y-1 text-sm">
          {actionItems.map((item) => (
            <li key={item.id} className="flex justify-between gap-2">
              <span className={`min-w-0 truncate ${item.status === 'done' ? 'text-zinc-500 line-through' : ''}`}>{item.title}</span>
              <span className={`shrink-0 text-xs ${item.overdue ? 'font-medium text-red-600 dark:text-red-400' : 'text-zinc-500'}`}>
                {item.owner?.name ?? 'no owner'} · due {item.dueDate ?? 'not set'}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-zinc-500">
          None yet; they are written in the{' '}
          <Link href={`/incidents/${number}/review`} className="text-sky-700 hover:underline dark:text-sky-400">
            review
          </Link>
          .
        </p>
      ),
    },
    {
      id: 'related',
      label: 'Related',
      counter: related.length ? String(related.length) : undefined,
      content: (
        <>
          {related.length ? (
        <ul aria-label="Related incidents" className="space-y-1.5 text-sm">
          {related.map((r) => (
            <li key={r.number} className="flex flex-wrap items-baseline gap-x-2">
              <Link href={`/incidents/${r.number}`} className="font-mono text-sky-700 hover:underline dark:text-sky-400">
                {r.key}
              </Link>
              <span className="min-w-0 flex-1 truncate">{r.title}</span>
              <StatusBadge status={r.status} />
              <span className="w-full text-xs text-zinc-500">
                {r.why} · declared {formatDateTime(r.declaredAt)}
              </span>
            </li>
          ))}
        </ul>
          ) : (
            <p className="text-sm text-zinc-500">No incident shares a service with this one in the last 90 days.</p>
          )}
          {writable ? <MergeForm number={number} incidentKey={incident.key} targets={view.mergeTargets} /> : null}
        </>
      ),
    },
    // Who may see a private incident, and why; a public one has no members panel.
    ...(members
      ? [
          {
            id: 'members',
            label: 'Members',
            counter: String(members.length),
            content: <MembersPanel number={number} members={members} canWrite={writable} />,
          } satisfies Panel,
        ]
      : []),
  ];

  return (
    <IncidentStateProvider incident={incident}>
      <div className="space-y-3">
        <CommandHeader
          severities={severities} severityName={view.severity.name} declaredBy={view.declaredBy?.name ?? null} hasPublicUpdates={updates.some((u) => u.audience === 'public')}
          canWrite={canWrite}
          badges={incident.private ? <PrivateBadge /> : null}
          actions={writable ? <PageDialog incidentNumber={number} /> : null}
        />
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_17rem]">
          <Panels panels={panels}>
            <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
              <Timeline number={number} initial={timeline} canWrite={writable}>
                {writable ? <Composer number={number} me={{ email: actor.email, name: actor.name }} /> : null}
              </Timeline>
            </div>
          </Panels>
          <aside className="space-y-3 text-sm" aria-label="Incident details">
            <RailSection title="Targets">
              <Targets severity={view.severity} nextUpdateDueAt={view.nextUpdateDueAt} youOweTheUpdate={view.youOweTheUpdate} />
            </RailSection>
            <RailSection title="Roles">
              <RolesPanel incident={incident} roles={view.roles} history={view.history} canWrite={writable} />
            </RailSection>
            <RailSection title="Key times">
              <KeyTimes incident={incident} canWrite={writable} />
            </RailSection>
            {incident.services.length ? (
              <RailSection title="It happened before">
                <RelatedIncidents items={view.happenedBefore} canResolve={writable} />
              </RailSection>
            ) : null}
          </aside>
        </div>
      </div>
    </IncidentStateProvider>
  );
}
