// The public status page: no sign-in, server-rendered, readable without JavaScript. It shows
// only what was published on purpose (public updates), never notes, names or internal updates.
import type { Metadata } from 'next';
import type { CSSProperties } from 'react';
import { RenderedMarkdown } from '@/components/ui/rendered-markdown';
import { getBranding } from '@/lib/communications/queries';
import type { PublicStatus } from '@/lib/communications/schema';
import { getPublicStatus } from '@/lib/communications/status-page';
import { renderUpdateBody } from '@/lib/communications/update-body';
import { statusLabels, type IncidentStatus } from '@/lib/incidents/lifecycle';
import { utcMinute } from '@/lib/platform/time';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const branding = await getBranding();
  return {
    title: { absolute: branding.title },
    description: `Current status and incident history: ${branding.title}`,
    alternates: { types: { 'application/atom+xml': [{ url: '/status/feed.xml', title: `${branding.title}: incident updates` }] } },
  };
}

type Incident = PublicStatus['incidents'][number];

const openStatuses = new Set(['investigating', 'identified', 'monitoring']);

function label(status: string): string {
  return statusLabels[status as IncidentStatus] ?? status;
}

function IncidentCard({ incident }: { incident: Incident }) {
  const open = openStatuses.has(incident.status);
  return (
    <article aria-labelledby={`incident-${incident.key}`} className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <header className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h3 id={`incident-${incident.key}`} className="text-base font-semibold">
          {incident.title}
        </h3>
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${open ? 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200' : 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200'}`}>
          {label(incident.status)}
        </span>
      </header>
      <p className="mt-0.5 text-xs text-zinc-500">
        {incident.services.length ? `Affects ${incident.services.join(', ')} · ` : ''}
        started <time dateTime={incident.startedAt}>{utcMinute(incident.startedAt)}</time>
        {incident.resolvedAt ? (
          <>
            {' '}
            · resolved <time dateTime={incident.resolvedAt}>{utcMinute(incident.resolvedAt)}</time>
          </>
        ) : null}
      </p>
      <ol className="mt-3 space-y-3 border-l-2 border-zinc-200 pl-3 dark:border-zinc-700" aria-label={`Updates on ${incident.title}`}>
        {incident.updates.map((update) => (
          <li key={update.postedAt}>
            <p className="text-xs">
              <strong className="font-semibold">{label(update.status)}</strong>
              <span className="text-zinc-500">
                {' '}
                · <time dateTime={update.postedAt}>{utcMinute(update.postedAt)}</time>
              </span>
            </p>
            <RenderedMarkdown html={renderUpdateBody(update.body)} className="mt-0.5 text-zinc-800 dark:text-zinc-200" />
          </li>
        ))}
      </ol>
    </article>
  );
}

export default async function StatusPage() {
  const [status, branding] = await Promise.all([getPublicStatus(), getBranding()]);
  const active = status.incidents.filter((i) => openStatuses.has(i.status));
  const resolved = status.incidents.filter((i) => !openStatuses.has(i.status));
  return (
    <div style={{ '--accent': branding.accentColor } as CSSProperties} className="min-h-dvh bg-zinc-50 text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      <div className="h-1 bg-[var(--accent)]" />
      <main className="mx-auto max-w-3xl space-y-6 px-4 py-8">
        <header className="flex items-center gap-3">
          {branding.logoUrl ? (
            // A logo from anywhere the admin chose: next/image would need every host configured.
            // eslint-disable-next-line @next/next/no-img-element
            <img src={branding.logoUrl} alt="" className="h-8 w-auto" />
          ) : null}
          <h1 className="text-2xl font-semibold">{branding.title}</h1>
        </header>

        {active.length === 0 ? (
          <p role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 font-medium text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
            All systems operational
          </p>
        ) : (
          <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 font-medium text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
            {active.length === 1 ? 'We are working on an incident.' : `We are working on ${active.length} incidents.`}
          </p>
        )}

        {active.length ? (
          <section aria-labelledby="active" className="space-y-3">
            <h2 id="active" className="text-sm font-semibold uppercase tracking-wide text-zinc-500">
              Current incidents
            </h2>
            {active.map((incident) => (
              <IncidentCard key={incident.key} incident={incident} />
            ))}
          </section>
        ) : null}

        <section aria-labelledby="resolved" className="space-y-3">
          <h2 id="resolved" className="text-sm font-semibold uppercase tracking-wide text-zinc-500">
            Resolved in the last 7 days
          </h2>
          {resolved.length ? resolved.map((incident) => <IncidentCard key={incident.key} incident={incident} />) : <p className="text-sm text-zinc-500">No incidents.</p>}
        </section>

        <footer className="flex flex-wrap justify-between gap-2 border-t border-zinc-200 pt-3 text-xs text-zinc-500 dark:border-zinc-800">
          <span>
            Updated <time dateTime={status.updatedAt}>{utcMinute(status.updatedAt)}</time>
          </span>
          <span>
            <a href="/status/feed.xml" className="text-[var(--accent)] underline-offset-2 hover:underline">
              Subscribe (Atom feed)
            </a>
            {' · '}
            <a href="/api/v1/status" className="text-[var(--accent)] underline-offset-2 hover:underline">
              JSON
            </a>
          </span>
        </footer>
      </main>
    </div>
  );
}
