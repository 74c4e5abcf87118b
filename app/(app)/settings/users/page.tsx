import Link from 'next/link';
import { CreateUserForm } from '@/components/settings/create-user-form';
import { UserRowControls } from '@/components/settings/user-row-controls';
import { Forbidden } from '@/components/shell/forbidden';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listUsers } from '@/lib/users/queries';

export const metadata = { title: 'Users' };

export default async function UsersPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'users.manage')) return <Forbidden what="Only admins manage users." />;
  const users = await listUsers();
  return (
    <div className="space-y-4">
      <Card title="Add a user">
        <CreateUserForm />
      </Card>
      <Card title={`Users (${users.length})`}>
        <div className="-m-4 overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Users and their roles</caption>
            <thead className="text-left text-xs text-zinc-500">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-4 py-2 font-medium">Name</th>
                <th scope="col" className="px-4 py-2 font-medium">Email</th>
                <th scope="col" className="px-4 py-2 font-medium">Status</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Role and access</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {users.map((user) => (
                <tr key={user.id} className={user.disabled ? 'text-zinc-400 dark:text-zinc-600' : ''}>
                  <td className="px-4 py-2 font-medium">{user.name}</td>
                  <td className="px-4 py-2">
                    {user.email}
                    <Link href={`/settings/profile?user=${encodeURIComponent(user.email)}`} className="ml-2 text-xs text-sky-700 hover:underline dark:text-sky-400" aria-label={`Contact methods of ${user.name}`}>
                      Contact methods
                    </Link>
                  </td>
                  <td className="px-4 py-2">{user.disabled ? <Badge>disabled</Badge> : <Badge tone="success">active</Badge>}</td>
                  <td className="px-4 py-2">
                    <UserRowControls user={user} isSelf={user.id === actor.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
