import { SignOutEverywhere } from '@/components/settings/sign-out-everywhere';
import { Card } from '@/components/ui/card';
import { can, type permissionRoles } from '@/lib/platform/auth/policy';
import { listOpenSessions } from '@/lib/platform/auth/sessions';
import { currentSession, requireUser } from '@/lib/platform/auth/session';
import { formatDateTime } from '@/lib/platform/time';

export const metadata = { title: 'Your account' };

const permissionLabels: Record<keyof typeof permissionRoles, string> = {
  read: 'See incidents, timelines, runbooks and reviews',
  'incidents.work': 'Work incidents: declare, update, notes, roles, checklists, remediations',
  'settings.manage': 'Manage severities, templates and remediation actions',
  'users.manage': 'Manage users',
  'tokens.manage': 'Manage API tokens',
};

export default async function AccountPage() {
  const actor = await requireUser('read');
  const sessions = await listOpenSessions(actor.id, (await currentSession())?.sessionId ?? null);
  return (
    <div className="space-y-4">
      <Card title="Your account">
        <dl className="grid max-w-lg grid-cols-[8rem_1fr] gap-y-1.5 text-sm">
          <dt className="text-zinc-500">Name</dt>
          <dd>{actor.name}</dd>
          <dt className="text-zinc-500">Email</dt>
          <dd>{actor.email}</dd>
          <dt className="text-zinc-500">Role</dt>
          <dd>{actor.role}</dd>
        </dl>
        <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-zinc-500">What your role allows</h3>
        <ul className="mt-1 space-y-0.5 text-sm">
          {(Object.keys(permissionLabels) as (keyof typeof permissionLabels)[]).map((permission) => (
            <li key={permission} className={can(actor, permission) ? '' : 'text-zinc-400 line-through dark:text-zinc-600'}>
              {permissionLabels[permission]}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Where you are signed in">
        <ul className="mb-3 space-y-1 text-sm" aria-label="Your sessions">
          {sessions.map((session) => (
            <li key={session.id}>
              <span className="font-medium">{session.current ? 'This browser' : session.userAgent.slice(0, 80) || 'A browser'}</span>
              <span className="text-zinc-500">
                {' '}
                · signed in {formatDateTime(session.createdAt)}
                {session.address && session.address !== 'unknown' ? ` from ${session.address}` : ''}
              </span>
            </li>
          ))}
        </ul>
        <SignOutEverywhere sessions={sessions.length} />
        <p className="mt-2 text-xs text-zinc-500">API tokens keep working; revoke them under API tokens.</p>
      </Card>
    </div>
  );
}
