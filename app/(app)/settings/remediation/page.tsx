import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listActions } from '@/lib/remediation/queries';
import { formatDateTime } from '@/lib/platform/time';

export const metadata = { title: 'Remediation actions' };

export default async function RemediationActionsPage() {
  const actor = await requireUser('read');
  const canEdit = can(actor, 'settings.manage');
  const actions = await listActions(actor);
  return (
    <Card title={`Remediation actions (${actions.length})`} actions={canEdit ? <Link href="/settings/remediation/new" className={buttonClasses('primary', 'px-2 py-1 text-xs')}>New action</Link> : null}>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        Signed webhooks to your own automation (deploys, rollbacks, scaling, failover) that responders fire from an incident or a runbook step. Every attempt lands on the incident’s timeline.
        {canEdit ? '' : ' Only admins define them.'}
      </p>
      {actions.length === 0 ? (
        <p className="text-sm text-zinc-500">No actions yet.{canEdit ? ' Create one, then link it to runbook steps in the runbook editor.' : ''}</p>
      ) : (
        <div className="-mx-4 overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Remediation actions</caption>
            <thead className="text-left text-xs text-zinc-500">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-4 py-2 font-medium">Name</th>
                <th scope="col" className="px-4 py-2 font-medium">Request</th>
                <th scope="col" className="px-4 py-2 font-medium">Who may fire</th>
                <th scope="col" className="px-4 py-2 font-medium">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {actions.map((action) => (
                <tr key={action.id} className={action.disabled ? 'text-zinc-500' : ''}>
                  <td className="px-4 py-2">
                    {canEdit ? (
                      <Link href={`/settings/remediation/${action.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                        {action.name}
                      </Link>
                    ) : (
                      <span className="font-medium">{action.name}</span>
                    )}
                    {action.description ? <p className="line-clamp-1 text-xs text-zinc-500">{action.description}</p> : null}
                  </td>
                  <td className="max-w-md px-4 py-2">
                    <span className="truncate font-mono text-xs">
                      {action.method} {action.url}
                    </span>
                    <p className="text-xs text-zinc-500">
                      {action.timeoutMs / 1000} s timeout · {action.maxAttempts} attempts{action.parameters.length ? ` · ${action.parameters.map((p) => p.name).join(', ')}` : ''}
                    </p>
                  </td>
                  <td className="px-4 py-2 text-xs">
                    {action.minRole === 'admin' ? 'Admins' : 'Responders'}
                    {action.requiresConfirmation ? ' · typed confirmation' : ''}
                  </td>
                  <td className="px-4 py-2">
                    {action.disabled ? (
                      <span title={action.disabled.reason}>
                        <Badge tone="danger">disabled</Badge>
                      </span>
                    ) : (
                      <Badge tone="success">enabled</Badge>
                    )}
                    {action.secretRotation ? (
                      <p className="mt-0.5 text-xs text-zinc-500">old secret signs until {formatDateTime(action.secretRotation.previousValidUntil)}</p>
                    ) : null}
                    {action.disabled ? <p className="mt-0.5 max-w-56 text-xs text-red-700 dark:text-red-400">{action.disabled.reason}</p> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
