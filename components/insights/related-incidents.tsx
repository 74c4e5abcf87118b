'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { shortDuration } from '@/components/insights/chart-frame';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { relatedForServicesAction } from '@/lib/insights/actions';
import type { RelatedIncidentDto } from '@/lib/insights/schema';
import { updateActionItemAction } from '@/lib/postmortems/actions';

function daysAgo(iso: string, now: Date): string {
  const days = Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000);
  return days === 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
}

/**
 * "It happened before": earlier incidents on the same services, each in one line ("INC-31 on
 * checkout, 12 days ago: 2 follow-ups still open"), with its root cause and its open follow-ups,
 * which a responder marks done in one click.
 */
export function RelatedIncidents({ items, canResolve, compact = false }: { items: RelatedIncidentDto[]; canResolve: boolean; compact?: boolean }) {
  const router = useRouter();
  const resolve = useServerAction();
  const [resolved, setResolved] = useState<Set<string>>(new Set());
  const now = new Date();
  if (!items.length) return compact ? null : <p className="text-sm text-zinc-500">No incident on these services in the 90 days before.</p>;
  return (
    <div className="space-y-2">
      <ul aria-label="Earlier incidents on the same services" className="space-y-2.5 text-sm">
        {items.map((incident) => {
          const open = incident.openActionItems.filter((item) => !resolved.has(item.id));
          return (
            <li key={incident.number} className="min-w-0">
              <p className="flex flex-wrap items-baseline gap-x-1.5">
                <SeverityBadge severity={incident.severity} />
                <Link href={`/incidents/${incident.number}`} className="font-mono text-xs font-semibold hover:underline" target={compact ? '_blank' : undefined}>
                  {incident.key}
                </Link>
                <span>
                  on {incident.sharedServices.join(', ')}, {daysAgo(incident.declaredAt, now)}
                  {open.length ? (
                    <strong className="font-medium text-amber-700 dark:text-amber-400">
                      : {open.length} follow-up{open.length === 1 ? '' : 's'} still open
                    </strong>
                  ) : (
                    ': no follow-up open'
                  )}
                </span>
              </p>
              <p className="truncate text-xs text-zinc-600 dark:text-zinc-400" title={incident.title}>
                {incident.title} · {incident.timeToResolveSeconds !== null ? `resolved in ${shortDuration(incident.timeToResolveSeconds)}` : incident.resolvedAt ? 'resolved' : incident.status}
              </p>
              {incident.rootCause && !compact ? <p className="mt-0.5 text-xs text-zinc-700 dark:text-zinc-300">Root cause: {incident.rootCause}</p> : null}
              {open.length ? (
                <ul aria-label={`Open follow-ups of ${incident.key}`} className="mt-1 space-y-1 border-l-2 border-amber-300 pl-2 dark:border-amber-700">
                  {open.map((item) => (
                    <li key={item.id} className="flex items-center justify-between gap-2 text-xs">
                      <span className="min-w-0">
                        {item.title}
                        <span className={item.overdue ? 'ml-1 font-medium text-red-600 dark:text-red-400' : 'ml-1 text-zinc-500'}>
                          {item.owner?.name ?? 'no owner'} · due {item.dueDate ?? '—'}
                          {item.overdue ? ' (overdue)' : ''}
                        </span>
                      </span>
                      {canResolve ? (
                        <button
                          type="button"
                          disabled={resolve.pending}
                          onClick={() =>
                            resolve.run(
                              () => updateActionItemAction(null, { id: item.id, status: 'done' }),
                              () => {
                                setResolved((all) => new Set(all).add(item.id));
                                if (!compact) router.refresh();
                                return `Marked “${item.title}” done.`;
                              },
                            )
                          }
                          className="shrink-0 rounded border border-zinc-300 px-1.5 py-0.5 text-xs hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
                          aria-label={`Mark “${item.title}” done`}
                        >
                          Done
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ul>
      <FormOutcome error={resolve.error} done={resolve.done} />
    </div>
  );
}

/**
 * The declare dialog's version: looks up earlier incidents as soon as services are typed (after
 * a pause in typing), so whoever declares sees at once what happened last time.
 */
export function RelatedForServices({ services }: { services: string }) {
  const [items, setItems] = useState<RelatedIncidentDto[]>([]);
  const [asked, setAsked] = useState('');
  const wanted = services
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
  useEffect(() => {
    if (wanted === asked) return;
    const timer = setTimeout(async () => {
      const result = wanted ? await relatedForServicesAction(null, { services: wanted.split(',') }) : null;
      setAsked(wanted);
      setItems(result?.ok ? result.data : []);
    }, 350);
    return () => clearTimeout(timer);
  }, [wanted, asked]);
  if (!items.length) return null;
  return (
    <section aria-label="It happened before" className="rounded-md border border-amber-300 bg-amber-50 p-2.5 dark:border-amber-800 dark:bg-amber-950/40">
      <h3 className="mb-1 text-xs font-semibold text-amber-900 dark:text-amber-200">It happened before</h3>
      <RelatedIncidents items={items} canResolve compact />
    </section>
  );
}
