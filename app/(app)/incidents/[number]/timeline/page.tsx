import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { StatusBadge } from '@/components/incidents/status-badge';
import { PrivateBadge } from '@/components/incidents/private-badge';
import { Timeline } from '@/components/timeline/timeline';
import { requireUser } from '@/lib/platform/auth/session';
import { findIncidentRef, getIncident } from '@/lib/incidents/queries';
import { roleLabels } from '@/lib/incidents/schema';
import { incidentNumberParam } from '@/lib/incidents/page-params';
import { listTimelinePage } from '@/lib/timeline/queries';

type Params = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `INC-${(await params).number} timeline` };
}

// The wall screen: the whole team watches this on a big display. Large type, nothing to click.
export default async function WallTimelinePage({ params }: Params) {
  const actor = await requireUser('read');
  const number = incidentNumberParam((await params).number);
  const ref = await findIncidentRef(number, actor);
  if (!ref) notFound();
  const [incident, timeline] = await Promise.all([getIncident(number, actor), listTimelinePage(ref.id, { limit: 100 })]);
  return (
    <div className="fixed inset-0 z-30 flex flex-col bg-zinc-50 dark:bg-zinc-950">
      <header className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-5 py-3 dark:border-zinc-800">
        <span className="font-mono text-lg font-semibold text-zinc-500">{incident.key}</span>
        <SeverityBadge severity={incident.severity} />
        <StatusBadge status={incident.status} />
        {incident.private ? <PrivateBadge /> : null}
        <h1 className="min-w-0 flex-1 truncate text-2xl font-semibold">{incident.title}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {roleLabels.commander}: <strong>{incident.roles.commander?.name ?? 'unfilled'}</strong>
          {incident.roles.tech_lead ? (
            <>
              {' '}
              · {roleLabels.tech_lead}: <strong>{incident.roles.tech_lead.name}</strong>
            </>
          ) : null}
        </p>
        <Link href={`/incidents/${number}`} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
          Command view
        </Link>
      </header>
      <main className="min-h-0 flex-1">
        <Timeline number={number} initial={timeline} canWrite={false} variant="wall" />
      </main>
    </div>
  );
}
