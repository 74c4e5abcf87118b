import Link from 'next/link';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { StatusBadge } from '@/components/incidents/status-badge';
import { PrivateBadge } from '@/components/incidents/private-badge';
import { ServiceChips } from '@/components/insights/service-chips';
import { buttonClasses } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { RelativeTime } from '@/components/ui/relative-time';
import { requireUser } from '@/lib/platform/auth/session';
import { incidentStatuses } from '@/lib/incidents/lifecycle';
import { incidentListQuerySchema } from '@/lib/incidents/operations';
import { listIncidents, listServices } from '@/lib/incidents/queries';
import { listSeverities } from '@/lib/severities/queries';

export const metadata = { title: 'Incidents' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// Filters live in the query string, so a filtered list is a link people can share; the form is
// a plain GET form and works without JavaScript.
export default async function IncidentsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireUser('read');
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
  // Dates from <input type="date"> are days; the list wants times.
  const fromDay = raw.from;
  const toDay = raw.to;
  const parsed = incidentListQuerySchema.safeParse({
    ...raw,
    status: raw.status === 'all' ? undefined : (raw.status ?? 'open'),
    from: fromDay ? `${fromDay}T00:00:00Z` : undefined,
    to: toDay ? new Date(new Date(`${toDay}T00:00:00Z`).getTime() + 86_400_000).toISOString() : undefined,
  });
  const filter = parsed.success ? parsed.data : incidentListQuerySchema.parse({ status: 'open' });
  const [page, severities, services] = await Promise.all([
    listIncidents({
      status: filter.status,
      severity: filter.severity,
      service: filter.service,
      q: filter.q,
      from: filter.from ? new Date(filter.from) : undefined,
      to: filter.to ? new Date(filter.to) : undefined,
      limit: 50,
      cursor: filter.cursor,
    }, actor),
    listSeverities(),
    listServices(actor),
  ]);
  const nextQuery = page.nextCursor ? new URLSearchParams({ ...raw, cursor: page.nextCursor }).toString() : null;

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Incidents</h1>
      <form method="get" className="flex flex-wrap items-end gap-2 text-sm" aria-label="Filter incidents">
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Status
          <select name="status" defaultValue={raw.status ?? 'open'} className={`${inputClasses} mt-0.5 w-36`}>
            <option value="open">Open</option>
            <option value="all">All</option>
            {incidentStatuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Severity
          <select name="severity" defaultValue={raw.severity ?? ''} className={`${inputClasses} mt-0.5 w-32`}>
            <option value="">Any</option>
            {severities.map((s) => (
              <option key={s.key} value={s.key}>
                {s.key} · {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Service
          <select name="service" defaultValue={raw.service ?? ''} className={`${inputClasses} mt-0.5 w-40`}>
            <option value="">Any</option>
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Declared from
          <input type="date" name="from" defaultValue={fromDay ?? ''} className={`${inputClasses} mt-0.5 w-40`} />
        </label>
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          to
          <input type="date" name="to" defaultValue={toDay ?? ''} className={`${inputClasses} mt-0.5 w-40`} />
        </label>
        <label className="min-w-48 flex-1 text-xs text-zinc-600 dark:text-zinc-400">
          Text
          <input type="search" name="q" defaultValue={raw.q ?? ''} placeholder="Title or summary" className={`${inputClasses} mt-0.5`} />
        </label>
        <button type="submit" className={buttonClasses('secondary')}>
          Filter
        </button>
        <Link href="/incidents?status=all" className="self-center text-xs text-zinc-500 hover:underline">
          Reset
        </Link>
      </form>
      {!parsed.success ? (
        <p role="alert" className="text-sm text-red-600">
          {parsed.error.issues.map((i) => i.message).join('; ')}
        </p>
      ) : null}

      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-sm">
          <caption className="sr-only">Incidents, newest first</caption>
          <thead className="text-left text-xs text-zinc-500">
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              <th scope="col" className="px-3 py-2 font-medium">Incident</th>
              <th scope="col" className="px-3 py-2 font-medium">Severity</th>
              <th scope="col" className="px-3 py-2 font-medium">Status</th>
              <th scope="col" className="px-3 py-2 font-medium">Services</th>
              <th scope="col" className="px-3 py-2 font-medium">Commander</th>
              <th scope="col" className="px-3 py-2 font-medium">Declared</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {page.items.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-zinc-500">
                  No incidents match these filters.
                </td>
              </tr>
            ) : (
              page.items.map((incident) => (
                <tr key={incident.number}>
                  <td className="max-w-md px-3 py-2">
                    <Link href={`/incidents/${incident.number}`} className="hover:underline">
                      <span className="font-mono text-xs text-zinc-500">{incident.key}</span> <span className="font-medium">{incident.title}</span>
                    </Link>
                    {incident.private ? (
                      <>
                        {' '}
                        <PrivateBadge />
                      </>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    <SeverityBadge severity={incident.severity} />
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={incident.status} />
                  </td>
                  <td className="px-3 py-2">
                    <ServiceChips services={incident.services} label={`Services of ${incident.key}`} />
                  </td>
                  <td className="px-3 py-2">{incident.roles.commander?.name ?? <span className="text-red-600 dark:text-red-400">none</span>}</td>
                  <td className="px-3 py-2 text-xs text-zinc-500">
                    <RelativeTime date={incident.times.declaredAt} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {nextQuery ? (
        <Link href={`/incidents?${nextQuery}`} className={buttonClasses('secondary')}>
          Older incidents
        </Link>
      ) : null}
    </div>
  );
}
