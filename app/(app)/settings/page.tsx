import { redirect } from 'next/navigation';
import { can } from '@/lib/auth/policy';
import { requireUser } from '@/lib/auth/session';

export default async function SettingsIndex() {
  const actor = await requireUser('read');
  redirect(can(actor, 'users.manage') ? '/settings/users' : '/settings/account');
}
