import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { listRecentAudit } from '@/lib/audit/queries';
import { can } from '@/lib/auth/policy';
import { requireUser } from '@/lib/auth/session';
import { countUsersByRole } from '@/lib/users/queries';

export const metadata = { title: 'Dashboard' };

const actionLabels: Record<string, string> = {
  'user.created': 'created user',
  'user.created_by_sso': 'first sign-in (SSO) of',
  'user.role_changed': 'changed the role of',
  'user.disabled': 'disabled',
  'user.enabled': 'enabled',
  'user.password_set': 'set the password of',
  'token.created': 'created an API token',
  'token.revoked': 'revoked an API token',
};

export default async function DashboardPage() {
  const actor = await requireUser('read');
  const [roles, activity] = await Promise.all([countUsersByRole(), listRecentAudit(15)]);
  const now = new Date();
  const total = Object.values(roles).reduce((sum, count) => sum + count, 0);

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold">Dashboard</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Signed in as {actor.name} ({actor.role}).</p>
      </div>

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {(
          [
            ['Active people', total],
            ['Admins', roles.admin ?? 0],
            ['Responders', roles.responder ?? 0],
            ['Viewers', roles.viewer ?? 0],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
            <dd className="mt-0.5 text-2xl font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>

      <Card
        title="Recent activity"
        actions={
          can(actor, 'users.manage') ? (
            <Link href="/settings/users" className="text-xs text-sky-600 hover:underline dark:text-sky-400">
              Manage people
            </Link>
          ) : null
        }
      >
        {activity.length === 0 ? (
          <p className="text-sm text-zinc-500">Nothing has happened yet.</p>
        ) : (
          <ol className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            {activity.map((entry) => (
              <li key={entry.id} className="flex items-baseline justify-between gap-3 py-1.5">
                <span className="min-w-0 truncate">
                  <span className="font-medium">{entry.actor?.name ?? 'Sitrep'}</span>{' '}
                  <span className="text-zinc-600 dark:text-zinc-400">{actionLabels[entry.action] ?? entry.action}</span>
                  {entry.subject ? <span> {entry.subject}</span> : null}
                </span>
                <span className="shrink-0 text-xs text-zinc-500">
                  <RelativeTime date={entry.at} now={now} />
                </span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
