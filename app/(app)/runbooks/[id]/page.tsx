import Link from 'next/link';
import { StepTitle } from '@/components/runbooks/step-title';
import { notFound } from 'next/navigation';
import { RunbookLabels } from '@/components/runbooks/runbook-labels';
import { buttonClasses } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { RenderedMarkdown } from '@/components/ui/rendered-markdown';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { NotFoundError } from '@/lib/platform/errors';
import { renderMarkdown } from '@/lib/platform/markdown/render';
import { incidentReferences } from '@/lib/incidents/references';
import { getRunbook, listRunbookVersions } from '@/lib/runbooks/queries';
import { RunbookFeedback } from '@/components/insights/runbook-feedback';
import { getRunbookFeedback } from '@/lib/insights/runbook-feedback';
import { suggestEdits } from '@/lib/insights/suggestions';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RunbookPage({ params, searchParams }: Props) {
  const actor = await requireUser('read');
  const { id } = await params;
  const query = await searchParams;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const version = typeof query.version === 'string' && /^\d+$/.test(query.version) ? Number(query.version) : undefined;
  const runbook = await getRunbook(id, version).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const old = runbook.version !== runbook.latestVersion;
  const [versions, feedback] = await Promise.all([listRunbookVersions(id), getRunbookFeedback(id, actor)]);
  // Suggestions are edits of the latest version; an old version only shows what was learnt.
  const suggestions = old ? [] : suggestEdits(runbook, feedback);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">{runbook.title}</h1>
          <p className="text-xs text-zinc-500">
            Version {runbook.version}
            {runbook.createdBy ? ` by ${runbook.createdBy.name}` : ''}, <RelativeTime date={runbook.createdAt} />
            {runbook.changeNote ? ` — ${runbook.changeNote}` : ''}
          </p>
          <div className="mt-1">
            <RunbookLabels severities={runbook.severities} services={runbook.services} tags={runbook.tags} />
          </div>
        </div>
        {can(actor, 'incidents.work') && !old ? (
          <Link href={`/runbooks/${id}/edit`} className={buttonClasses('secondary')}>
            Edit
          </Link>
        ) : null}
      </div>
      {old ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          You are looking at version {runbook.version}. <Link href={`/runbooks/${id}`} className="underline">The latest is version {runbook.latestVersion}.</Link>
        </p>
      ) : null}
      {runbook.description ? <RenderedMarkdown html={renderMarkdown(runbook.description, { references: incidentReferences })} /> : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_16rem]">
        <div className="space-y-4">
          {runbook.phases.map((phase, p) => (
            <Card key={`${phase.title}-${p}`} title={`${phase.title}${phase.timeBudget ? ` (${phase.timeBudget})` : ''}`}>
              <ol className="space-y-3">
                {phase.steps.map((step, s) => (
                  <li key={step.id} className="grid grid-cols-[1.5rem_1fr] gap-2">
                    <span className="text-right text-sm tabular-nums text-zinc-400">{s + 1}.</span>
                    <div className="min-w-0">
                      <div className="text-sm font-medium">
                        <StepTitle title={step.title} />
                        {step.optional ? <span className="ml-2 rounded bg-zinc-100 px-1 text-[11px] font-normal text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">optional</span> : null}
                      </div>
                      {step.detail ? <RenderedMarkdown html={renderMarkdown(step.detail, { references: incidentReferences })} className="text-zinc-700 dark:text-zinc-300" /> : null}
                      {step.command ? (
                        <div className="relative mt-1">
                          <pre className="overflow-x-auto rounded bg-zinc-100 p-2 pr-12 font-mono text-xs dark:bg-zinc-800">{step.command}</pre>
                          <CopyButton text={step.command} />
                        </div>
                      ) : null}
                      {step.expectedOutcome ? <p className="mt-1 text-xs text-emerald-700 dark:text-emerald-400">Expected: {step.expectedOutcome}</p> : null}
                    </div>
                  </li>
                ))}
              </ol>
            </Card>
          ))}
          <RunbookFeedback runbookId={id} feedback={feedback} suggestions={suggestions} canEdit={can(actor, 'incidents.work')} />
          {runbook.references.length ? (
            <Card title="Reference notes">
              <div className="space-y-3">
                {runbook.references.map((reference, r) => (
                  <details key={`${reference.title}-${r}`}>
                    <summary className="cursor-pointer text-sm font-medium">{reference.title}</summary>
                    <RenderedMarkdown html={renderMarkdown(reference.markdown, { references: incidentReferences })} className="mt-1" />
                  </details>
                ))}
              </div>
            </Card>
          ) : null}
        </div>
        <Card title="Versions">
          <ol className="space-y-1 text-sm">
            {versions.map((v) => (
              <li key={v.version}>
                <Link href={`/runbooks/${id}?version=${v.version}`} aria-current={v.version === runbook.version ? 'page' : undefined} className="hover:underline aria-[current=page]:font-semibold">
                  v{v.version}
                </Link>{' '}
                <span className="text-xs text-zinc-500">
                  {v.createdBy ?? 'Sitrep'}, <RelativeTime date={v.createdAt} />
                  {v.changeNote ? ` — ${v.changeNote}` : ''}
                  {v.fromIncident ? (
                    <>
                      {' · from '}
                      <Link href={`/incidents/${v.fromIncident}`} className="font-mono hover:underline">
                        INC-{v.fromIncident}
                      </Link>
                    </>
                  ) : null}
                </span>
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </div>
  );
}
