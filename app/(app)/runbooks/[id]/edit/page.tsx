import { notFound } from 'next/navigation';
import { Forbidden } from '@/components/shell/forbidden';
import { RunbookEditor } from '@/components/runbooks/runbook-editor';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { NotFoundError } from '@/lib/platform/errors';
import { listSeverities } from '@/lib/severities/queries';
import { listActions } from '@/lib/remediation/queries';
import { getRunbook } from '@/lib/runbooks/queries';

export const metadata = { title: 'Edit runbook' };

export default async function EditRunbookPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireUser('read');
  if (!can(actor, 'incidents.work')) return <Forbidden what="Viewers read runbooks; responders and admins write them." />;
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const [runbook, severities, actions] = await Promise.all([
    getRunbook(id).catch((error: unknown) => {
      if (error instanceof NotFoundError) notFound();
      throw error;
    }),
    listSeverities(),
    listActions(actor),
  ]);
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Edit {runbook.title}</h1>
      <p className="text-sm text-zinc-500">Saving makes version {runbook.version + 1}; incidents that attached an earlier version keep theirs.</p>
      <RunbookEditor runbook={runbook} severities={severities.map((s) => s.key)} actions={actions.map(({ id, name, disabled }) => ({ id, name, disabled: Boolean(disabled) }))} />
    </div>
  );
}
