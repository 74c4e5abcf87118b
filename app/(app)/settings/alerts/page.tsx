import Link from 'next/link';
import { Forbidden } from '@/components/shell/forbidden';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { kindNames } from '@/lib/alerts/kinds';
import { listSources } from '@/lib/alerts/queries';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';

export const metadata = { title: 'Alert sources' };

export default async function AlertSourcesPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins see and change alert sources." />;
  const sources = await listSources();
  return (
    <Card title={`Alert sources (${sources.length})`} actions={<Link href="/settings/alerts/new" className={buttonClasses('primary', 'px-2 py-1 text-xs')}>New source</Link>}>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        Where monitoring sends alerts: Prometheus Alertmanager, Grafana, anything that speaks PagerDuty’s Events API, or plain JSON. Each source has its own token and routes that decide who is paged and when an incident is declared.
      </p>
      {sources.length === 0 ? (
        <p className="text-sm text-zinc-500">No sources yet. Create one, then paste its configuration into your sender.</p>
      ) : (
        <div className="-mx-4 overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Alert sources</caption>
            <thead className="text-left text-xs text-zinc-500">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-4 py-2 font-medium">Name</th>
                <th scope="col" className="px-4 py-2 font-medium">Sends</th>
                <th scope="col" className="px-4 py-2 font-medium">Routes</th>
                <th scope="col" className="px-4 py-2 font-medium">Unresolved</th>
                <th scope="col" className="px-4 py-2 font-medium">Last alert</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {sources.map((source) => (
                <tr key={source.id}>
                  <td className="px-4 py-2">
                    <Link href={`/settings/alerts/${source.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                      {source.name}
                    </Link>
                  </td>
                  <td className="px-4 py-2 text-xs">{kindNames[source.kind]}</td>
                  <td className="px-4 py-2 tabular-nums">{source.routes.length}</td>
                  <td className="px-4 py-2 tabular-nums">
                    <Link href={`/alerts?sourceId=${source.id}`} className="hover:underline">
                      {source.unresolvedAlerts}
                    </Link>
                  </td>
                  <td className="px-4 py-2 text-xs text-zinc-500">{source.lastAlertAt ? <RelativeTime date={source.lastAlertAt} /> : 'never'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
