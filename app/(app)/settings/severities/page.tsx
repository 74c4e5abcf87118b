import { SeverityForm } from '@/components/settings/severity-form';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listSeverities } from '@/lib/severities/queries';

export const metadata = { title: 'Severities' };

export default async function SeveritiesPage() {
  const actor = await requireUser('read');
  const canEdit = can(actor, 'settings.manage');
  const severities = await listSeverities();
  return (
    <Card title="Severities">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The response-time target is how soon someone must acknowledge an incident; the update cadence is how often its status is communicated. The dashboard counts down to both.
        {canEdit ? '' : ' Only admins change them.'}
      </p>
      <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {severities.map((severity) => (
          <SeverityForm key={severity.key} severity={severity} canEdit={canEdit} />
        ))}
      </div>
    </Card>
  );
}
