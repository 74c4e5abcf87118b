import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { listRecentAudit } from '@/lib/audit/queries';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';

export const metadata = { title: 'Audit log' };

const actionLabels: Record<string, string> = {
  'user.created': 'created user',
  'user.created_by_sso': 'first sign-in (SSO) of',
  'user.role_changed': 'changed the role of',
  'user.disabled': 'disabled',
  'user.enabled': 'enabled',
  'user.password_set': 'set the password of',
  'token.created': 'created an API token',
  'token.revoked': 'revoked an API token',
  'runbook.created': 'created the runbook',
  'runbook.updated': 'saved a new version of the runbook',
  'runbook.archived': 'archived the runbook',
  'runbook.restored': 'restored the runbook',
  'severity.updated': 'changed the severity',
};

export default async function AuditPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins read the audit log." />;
  const entries = await listRecentAudit(200);
  return (
    <Card title="Audit log (latest 200)">
      {entries.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing has happened yet.</p>
      ) : (
        <ol className="-my-2 divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
          {entries.map((entry) => (
            <li key={entry.id} className="flex items-baseline justify-between gap-3 py-1.5">
              <span className="min-w-0 truncate">
                <span className="font-medium">{entry.actor?.name ?? 'Sitrep'}</span>{' '}
                <span className="text-zinc-600 dark:text-zinc-400">{actionLabels[entry.action] ?? entry.action}</span>
                {entry.subject ? <span> {entry.subject}</span> : null}
              </span>
              <span className="shrink-0 text-xs text-zinc-500">
                <RelativeTime date={entry.at} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
