import Link from 'next/link';
import { AlertBoard } from '@/components/alerts/alert-board';
import { buttonClasses } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { alertFilterOptions, listAlerts, listSourceNames } from '@/lib/alerts/queries';
import { alertListQuerySchema, alertStatuses } from '@/lib/alerts/schema';
import { listIncidents } from '@/lib/incidents/queries';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listSeverities } from '@/lib/severities/queries';

export const metadata = { title: 'Alerts' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** How many alerts the board shows and keeps current. */
const BOARD_SIZE = 200;

// Filters live in the query string (a filtered board is a link to share); the form is a plain
// GET form. The board then stays live from the alerts stream.
export default async function AlertsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireUser('read');
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
  const status = raw.status === 'all' ? undefined : (raw.status ?? 'open');
  const parsed = alertListQuerySchema.safeParse({ ...raw, status, limit: String(BOARD_SIZE), cursor: undefined });
  const filter = parsed.success ? parsed.data : alertListQuerySchema.parse({ status: 'open', limit: String(BOARD_SIZE) });
  const apiQuery = new URLSearchParams(Object.entries({ ...raw, status: status ?? '', limit: String(BOARD_SIZE) }).filter(([key, value]) => value !== '' && key !== 'cursor')).toString();
  const canWrite = can(actor, 'incidents.work');
  const [page, sources, options, severities, open] = await Promise.all([
    listAlerts({ ...filter, limit: BOARD_SIZE }, actor),
    listSourceNames(),
    alertFilterOptions(),
    listSeverities(),
    canWrite ? listIncidents({ status: 'open', limit: 100 }, actor) : Promise.resolve({ items: [], nextCursor: null }),
  ]);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-xl font-semibold">Alerts</h1>
        <Link href="/alerts/silences" className={buttonClasses('secondary', 'px-2 py-1 text-xs')}>
          Silences
        </Link>
      </div>
      <form method="get" className="flex flex-wrap items-end gap-2 text-sm" aria-label="Filter alerts">
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Status
          <select name="status" defaultValue={raw.status ?? 'open'} className={`${inputClasses} mt-0.5 w-36`}>
            <option value="open">Not resolved</option>
            <option value="all">All</option>
            {alertStatuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Source
          <select name="sourceId" defaultValue={raw.sourceId ?? ''} className={`${inputClasses} mt-0.5 w-44`}>
            <option value="">Any</option>
            {sources.map((source) => (
              <option key={source.id} value={source.id}>
                {source.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Service
          <select name="service" defaultValue={raw.service ?? ''} className={`${inputClasses} mt-0.5 w-36`}>
            <option value="">Any</option>
            {options.services.map((service) => (
              <option key={service} value={service}>
                {service}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Label
          <input name="label" defaultValue={raw.label ?? ''} list="alert-label-names" placeholder="env=prod" className={`${inputClasses} mt-0.5 w-40`} />
          <datalist id="alert-label-names">
            {options.labels.map((label) => (
              <option key={label} value={`${label}=`} />
            ))}
          </datalist>
        </label>
        <label className="min-w-48 flex-1 text-xs text-zinc-600 dark:text-zinc-400">
          Text
          <input type="search" name="q" defaultValue={raw.q ?? ''} placeholder="Title, labels or annotations" className={`${inputClasses} mt-0.5`} />
        </label>
        <button type="submit" className={buttonClasses('secondary')}>
          Filter
        </button>
        <Link href="/alerts" className="self-center text-xs text-zinc-500 hover:underline">
          Reset
        </Link>
      </form>
      {!parsed.success ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}
        </p>
      ) : null}
      <AlertBoard
        initial={page.items}
        query={apiQuery}
        canWrite={canWrite}
        severities={severities.map(({ key, name }) => ({ key, name }))}
        openIncidents={open.items.map((incident) => ({ number: incident.number, title: incident.title }))}
      />
      {page.nextCursor ? <p className="text-xs text-zinc-500">The board shows the newest {BOARD_SIZE}; narrow the filters, or page through GET /api/v1/alerts, for older ones.</p> : null}
    </div>
  );
}
