import { Forbidden } from '@/components/shell/forbidden';
import { RunbookEditor } from '@/components/runbooks/runbook-editor';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listSeverities } from '@/lib/severities/queries';
import { listActions } from '@/lib/remediation/queries';

export const metadata = { title: 'New runbook' };

export default async function NewRunbookPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'incidents.work')) return <Forbidden what="Viewers read runbooks; responders and admins write them." />;
  const [severities, actions] = await Promise.all([listSeverities(), listActions(actor)]);
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">New runbook</h1>
      <RunbookEditor severities={severities.map((s) => s.key)} actions={actions.map(({ id, name, disabled }) => ({ id, name, disabled: Boolean(disabled) }))} />
    </div>
  );
}
