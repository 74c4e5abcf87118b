'use client';

import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { IncidentControls, IncidentDetailsForm } from '@/components/incidents/command/incident-controls';
import { useIncidentState } from '@/components/incidents/command/incident-state';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { ServiceChips } from '@/components/insights/service-chips';
import { StatusBadge } from '@/components/incidents/status-badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { formatClock, formatDuration } from '@/lib/platform/time';

type Props = {
  severities: { key: string; name: string }[];
  severityName: string;
  declaredBy: string | null;
  hasPublicUpdates: boolean;
  canWrite: boolean;
  /** Badges other features add beside the status (a private incident's lock). */
  badges?: ReactNode;
  /** Buttons other features add to the header (Page…). */
  actions?: ReactNode;
};

/**
 * The top of the command view: what the incident is and how it stands (key, severity, status,
 * title, summary, services), and the changes made most often (acknowledge, status, severity,
 * details). Reads the newest Incident, so your own change shows the moment it is answered.
 */
export function CommandHeader({ severities, severityName, declaredBy, hasPublicUpdates, canWrite, badges, actions }: Props) {
  const { incident } = useIncidentState();
  const [summaryOpen, setSummaryOpen] = useState(false);
  const acknowledged = incident.times.acknowledgedAt;
  return (
    <header className="space-y-1.5" aria-label={`${incident.key} header`}>
      {incident.mergedInto ? (
        <p role="status" className="rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100">
          {incident.key} was merged into{' '}
          <Link href={`/incidents/${incident.mergedInto.number}`} className="font-medium underline">
            {incident.mergedInto.key}
          </Link>
          : its timeline, roles and updates are there now. Work continues on {incident.mergedInto.key}.
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <span className="font-mono font-semibold text-zinc-500 dark:text-zinc-400">{incident.key}</span>
        <SeverityBadge severity={incident.severity} name={severityName} />
        <span data-testid="incident-status">
          <StatusBadge status={incident.status} />
        </span>
        {incident.customerImpact ? (
          <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-200 dark:bg-red-950 dark:text-red-300 dark:ring-red-900">Customer impact</span>
        ) : null}
        {badges}
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          declared <RelativeTime date={incident.times.declaredAt} />
          {declaredBy ? ` by ${declaredBy}` : ''}
          {acknowledged ? (
            <span data-testid="acknowledged">
              {' '}
              · acknowledged {formatClock(acknowledged)} ({formatDuration(new Date(acknowledged).getTime() - new Date(incident.times.declaredAt).getTime())} after)
            </span>
          ) : null}
        </span>
        <span className="ml-auto flex items-center gap-3 text-xs">
          {actions}
          <Link href={`/incidents/${incident.number}/review`} className="text-sky-700 hover:underline dark:text-sky-400">
            Review
          </Link>
          <Link href={`/incidents/${incident.number}/timeline`} className="text-sky-700 hover:underline dark:text-sky-400">
            Wall screen ↗
          </Link>
        </span>
      </div>
      <h1 className="text-xl font-semibold leading-tight">{incident.title}</h1>
      {incident.summary || incident.services.length ? (
        <div className="flex flex-wrap items-start gap-x-3 gap-y-1 text-sm">
          {incident.summary ? (
            <p className={`max-w-3xl min-w-0 flex-1 whitespace-pre-wrap text-zinc-700 dark:text-zinc-300 ${summaryOpen ? '' : 'line-clamp-2'}`}>
              {incident.summary}
              {incident.summary.length > 160 || incident.summary.includes('\n') ? (
                <button type="button" onClick={() => setSummaryOpen((open) => !open)} className="ml-1 text-xs text-sky-700 hover:underline dark:text-sky-400" aria-expanded={summaryOpen}>
                  {summaryOpen ? 'less' : 'more'}
                </button>
              ) : null}
            </p>
          ) : null}
          {/* Each chip opens the service's page (insights). */}
          <ServiceChips services={incident.services} />
        </div>
      ) : null}
      {canWrite && !incident.mergedInto ? (
        <div className="flex flex-wrap items-start gap-1.5">
          <IncidentControls severities={severities} hasPublicUpdates={hasPublicUpdates} />
          <IncidentDetailsForm />
        </div>
      ) : null}
    </header>
  );
}
