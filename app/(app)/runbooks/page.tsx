import Link from 'next/link';
import { RunbookLabels } from '@/components/runbooks/runbook-labels';
import { buttonClasses } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { RelativeTime } from '@/components/ui/relative-time';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listRunbooks } from '@/lib/runbooks/queries';

export const metadata = { title: 'Runbooks' };

export default async function RunbooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireUser('read');
  const params = await searchParams;
  const q = typeof params.q === 'string' ? params.q : '';
  const runbooks = await listRunbooks({ q });
  const imported = typeof params.imported === 'string' ? Number.parseInt(params.imported, 10) || 0 : 0;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">Runbooks</h1>
        {can(actor, 'incidents.work') ? (
          <div className="flex gap-2">
            <Link href="/runbooks/import" className={buttonClasses('secondary')}>
              Import Markdown
            </Link>
            <Link href="/runbooks/new" className={buttonClasses('secondary')}>
              New runbook
            </Link>
          </div>
        ) : null}
      </div>
      {imported ? (
        <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100">
          Imported {imported} runbook{imported === 1 ? '' : 's'}. They are tagged <span className="font-mono">imported</span>.
        </p>
      ) : null}
      <form method="get" role="search" className="flex gap-2">
        <label htmlFor="runbook-search" className="sr-only">
          Search runbooks by title, tag or service
        </label>
        <input id="runbook-search" type="search" name="q" defaultValue={q} placeholder="Title, tag or service…" className={`${inputClasses} max-w-md`} />
        <button type="submit" className={buttonClasses('secondary')}>
          Search
        </button>
      </form>
      {runbooks.length === 0 ? (
        <p className="text-sm text-zinc-500">{q ? 'No runbook matches.' : 'No runbooks yet.'}</p>
      ) : (
        <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {runbooks.map((runbook) => (
            <li key={runbook.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5">
              <Link href={`/runbooks/${runbook.id}`} className="font-medium hover:underline">
                {runbook.title}
              </Link>
              <span className="text-xs text-zinc-500">
                v{runbook.version} · {runbook.steps} steps · updated <RelativeTime date={runbook.updatedAt} />
              </span>
              <RunbookLabels severities={runbook.severities} services={runbook.services} tags={runbook.tags} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
