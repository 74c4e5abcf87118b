import type { ReactNode } from 'react';
import { AppNav } from '@/components/shell/app-nav';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser('read');
  const tabs = [
    { href: '/settings/account', label: 'Your account' },
    { href: '/settings/profile', label: 'Profile' },
    { href: '/settings/oncall', label: 'On-call' },
    { href: '/settings/severities', label: 'Severities' },
    { href: '/settings/remediation', label: 'Remediation actions' },
    ...(can(actor, 'settings.manage') ? [{ href: '/settings/notifications', label: 'Notifications' }] : []),
    ...(can(actor, 'settings.manage') ? [{ href: '/settings/alerts', label: 'Alert sources' }] : []),
    { href: '/settings/communications', label: 'Communications' },
    { href: '/settings/reviews', label: 'Reviews' },
    ...(can(actor, 'users.manage') ? [{ href: '/settings/users', label: 'Users' }] : []),
    ...(can(actor, 'tokens.manage') ? [{ href: '/settings/tokens', label: 'API tokens' }] : []),
    ...(can(actor, 'settings.manage') ? [{ href: '/settings/audit', label: 'Audit log' }] : []),
  ];
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Settings</h1>
      <div className="border-b border-zinc-200 dark:border-zinc-800">
        <AppNav items={tabs} />
      </div>
      {children}
    </div>
  );
}
