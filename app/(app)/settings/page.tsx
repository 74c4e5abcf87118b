import { redirect } from 'next/navigation';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';

export default async function SettingsIndex() {
  const actor = await requireUser('read');
  redirect(can(actor, 'users.manage') ? '/settings/users' : '/settings/account');
}
