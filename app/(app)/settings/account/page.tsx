import { Card } from '@/components/ui/card';
import { can, type permissionRoles } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';

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
  return (
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
  );
}
