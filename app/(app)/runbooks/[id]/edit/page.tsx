import { randomUUID } from 'node:crypto';
import { notFound } from 'next/navigation';
import { Forbidden } from '@/components/shell/forbidden';
import { RunbookEditor } from '@/components/runbooks/runbook-editor';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { NotFoundError } from '@/lib/platform/errors';
import { listSeverities } from '@/lib/severities/queries';
import { listActions } from '@/lib/remediation/queries';
import { getRunbook } from '@/lib/runbooks/queries';
import { applySuggestion, suggestionSchema } from '@/lib/insights/suggestions';

export const metadata = { title: 'Edit runbook' };

export default async function EditRunbookPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
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
  // "Suggest to runbook" links arrive with the change to make (lib/insights/suggestions.ts).
  const asked = suggestionSchema.safeParse(await searchParams);
  const applied = asked.success ? applySuggestion(runbook.phases, asked.data, randomUUID) : null;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Edit {runbook.title}</h1>
      {asked.success && !applied ? <p role="status" className="text-sm text-zinc-500">That suggestion is already part of this version.</p> : null}
      <p className="text-sm text-zinc-500">Saving makes version {runbook.version + 1}; incidents that attached an earlier version keep theirs.</p>
      <RunbookEditor
        runbook={applied ? { ...runbook, phases: applied.phases } : runbook}
        suggestion={applied ? { changeNote: applied.changeNote, stepId: applied.stepId, fromIncident: applied.incident } : undefined}
        severities={severities.map((s) => s.key)} actions={actions.map(({ id, name, disabled }) => ({ id, name, disabled: Boolean(disabled) }))} />
    </div>
  );
}
