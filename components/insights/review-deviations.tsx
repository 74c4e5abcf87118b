import Link from 'next/link';
import { Card } from '@/components/ui/card';
import type { IncidentDeviations } from '@/lib/insights/runbook-feedback';
import { suggestionQuery } from '@/lib/insights/suggestions';

const kindLabel = { skipped: 'skipped', added: 'added', outside: 'outside' } as const;

/** The review's runbook deviations, each with "Suggest to runbook": the edit, made in the runbook editor and credited to this incident. */
export function ReviewDeviations({ groups, canEdit }: { groups: IncidentDeviations; canEdit: boolean }) {
  if (!groups.length) return null;
  return (
    <Card title="Where the runbooks were left">
      <div className="space-y-3 text-sm">
        {groups.map((group) => (
          <section key={group.runbook.id} aria-label={`Deviations from ${group.runbook.title}`}>
            <h3 className="mb-1 text-xs font-semibold text-zinc-500">
              <Link href={`/runbooks/${group.runbook.id}`} className="hover:underline">
                {group.runbook.title}
              </Link>
            </h3>
            <ul className="space-y-1">
              {group.deviations.map((d) => (
                <li key={`${d.kind}-${d.text}`} className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="min-w-0">
                    <span className="mr-1.5 rounded bg-zinc-100 px-1 text-[11px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">{kindLabel[d.kind]}</span>
                    {d.text}
                    {d.note ? <span className="text-xs text-zinc-500"> — “{d.note}”</span> : null}
                  </span>
                  {canEdit && d.suggestion ? (
                    <Link
                      href={`/runbooks/${group.runbook.id}/edit?${suggestionQuery(d.suggestion)}`}
                      className="no-print shrink-0 rounded border border-sky-300 px-1.5 py-0.5 text-xs text-sky-800 hover:bg-sky-50 dark:border-sky-800 dark:text-sky-300 dark:hover:bg-sky-950"
                    >
                      Suggest to runbook
                    </Link>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Card>
  );
}
