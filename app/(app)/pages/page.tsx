import type { Metadata } from 'next';
import { PageCard } from '@/components/oncall/page-card';
import { PageDialog } from '@/components/oncall/page-dialog';
import { PagesLive } from '@/components/oncall/pages-live';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listPagesForScreen } from '@/lib/oncall/queries';

export const metadata: Metadata = { title: 'Pages' };

type Props = { searchParams: Promise<{ page?: string }> };

export default async function PagesPage({ searchParams }: Props) {
  const actor = await requireUser('read');
  const { page: highlighted } = await searchParams;
  const { open, recent } = await listPagesForScreen(actor);
  const canWrite = can(actor, 'incidents.work');
  return (
    <div className="space-y-4">
      <PagesLive />
      <header className="flex flex-wrap items-center gap-2">
        <h1 className="text-xl font-semibold">Pages</h1>
        <span className="text-sm text-zinc-500">
          {open.filter((p) => p.status === 'triggered').length} waiting for an acknowledgement · {open.filter((p) => p.status === 'acknowledged').length} acknowledged
        </span>
        {canWrite ? (
          <div className="ml-auto flex items-center gap-2">
            <PageDialog buttonLabel="Page someone…" />
          </div>
        ) : null}
      </header>
      <section aria-labelledby="open-pages" className="space-y-2">
        <h2 id="open-pages" className="text-sm font-semibold text-zinc-600 dark:text-zinc-400">
          Open
        </h2>
        {open.length ? (
          <ul className="space-y-2" aria-label="Open pages">
            {open.map((page) => (
              <li key={page.id}>
                <PageCard page={page} canWrite={canWrite} highlighted={page.id === highlighted} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="rounded-lg border border-dashed border-zinc-300 p-4 text-sm text-zinc-500 dark:border-zinc-700">Nobody is being paged right now.</p>
        )}
      </section>
      <section aria-labelledby="recent-pages" className="space-y-2">
        <h2 id="recent-pages" className="text-sm font-semibold text-zinc-600 dark:text-zinc-400">
          Recently resolved
        </h2>
        {recent.length ? (
          <ul className="space-y-2" aria-label="Recently resolved pages">
            {recent.map((page) => (
              <li key={page.id}>
                <PageCard page={page} canWrite={false} highlighted={page.id === highlighted} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-zinc-500">None yet.</p>
        )}
      </section>
    </div>
  );
}
