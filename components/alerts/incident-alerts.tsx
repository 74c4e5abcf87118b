'use client';

import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { AlertStatusBadge } from '@/components/alerts/alert-status';
import { useLiveAlerts } from '@/components/alerts/use-live-alerts';
import { compactButton } from '@/components/alerts/compact';
import { FormOutcome } from '@/components/ui/form-outcome';
import { RelativeTime } from '@/components/ui/relative-time';
import { useServerAction } from '@/components/ui/use-server-action';
import { alertKeys } from '@/lib/alerts/board';
import type { AlertDto } from '@/lib/alerts/schema';
import { updateIncidentAction } from '@/lib/incidents/actions';
import type { IncidentStatus } from '@/lib/incidents/lifecycle';

type Props = { number: number; version: number; status: IncidentStatus; initial: AlertDto[]; canWrite: boolean };

/**
 * The command view's alerts card: the incident's alerts and their state, live (its own stream,
 * so a storm of repeats refreshes this card, not the whole page). When every one has resolved it
 * suggests moving the incident to monitoring; it never does so by itself.
 */
export function IncidentAlerts(props: Props) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 } } }));
  return (
    <QueryClientProvider client={client}>
      <Card {...props} />
    </QueryClientProvider>
  );
}

function Card({ number, version, status, initial, canWrite }: Props) {
  const queryClient = useQueryClient();
  const { data: alerts } = useQuery({
    queryKey: alertKeys.incident(number),
    queryFn: async () => {
      const response = await fetch(`/api/v1/alerts?incident=${number}&limit=200`, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`Could not load the alerts (${response.status})`);
      return ((await response.json()) as { items: AlertDto[] }).items;
    },
    initialData: initial,
  });
  useLiveAlerts(() => void queryClient.invalidateQueries({ queryKey: alertKeys.incident(number) }), { incident: number });
  const move = useServerAction();
  const unresolved = alerts.filter((alert) => alert.status !== 'resolved').length;
  const allResolved = alerts.length > 0 && unresolved === 0;
  const suggest = allResolved && (status === 'investigating' || status === 'identified');

  return (
    <div className="space-y-2">
      {suggest ? (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-2 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
          <p>Every alert linked to INC-{number} has resolved. Move it to monitoring?</p>
          {canWrite ? (
            <button type="button" className={`mt-1 ${compactButton('primary')}`} disabled={move.pending} onClick={() => move.run(() => updateIncidentAction(null, { number, version, status: 'monitoring', reason: 'every linked alert has resolved' }))}>
              Move to monitoring
            </button>
          ) : null}
          <FormOutcome error={move.error} done={null} className="text-xs" />
        </div>
      ) : null}
      <p className="text-xs text-zinc-500">
        {unresolved} of {alerts.length} unresolved ·{' '}
        <Link href={`/alerts?incident=${number}&status=all`} className="text-sky-700 hover:underline dark:text-sky-400">
          all on /alerts
        </Link>
      </p>
      <ul aria-label="Alerts of this incident" className="space-y-1.5 text-sm">
        {alerts.slice(0, 30).map((alert) => (
          <li key={alert.id} className="space-y-0.5">
            <div className="flex items-center gap-1.5">
              <AlertStatusBadge status={alert.status} />
              <span className="min-w-0 flex-1 truncate" title={alert.title}>
                {alert.title}
              </span>
              <span className="shrink-0 text-xs tabular-nums text-zinc-500">×{alert.count}</span>
            </div>
            <p className="text-xs text-zinc-500">
              {alert.source.name} · last seen <RelativeTime date={alert.lastSeenAt} />
              {alert.afterResolution ? <span className="ml-1 font-medium text-red-700 dark:text-red-400">· fired after the incident was resolved</span> : null}
            </p>
          </li>
        ))}
      </ul>
      {alerts.length > 30 ? <p className="text-xs text-zinc-500">and {alerts.length - 30} more</p> : null}
    </div>
  );
}
