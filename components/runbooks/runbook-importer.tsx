'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useServerAction } from '@/components/ui/use-server-action';
import { REVIEW_TEMPLATE_DRAFT_KEY, REVIEW_TEMPLATE_HANDOFF } from '@/components/runbooks/review-template-handoff';
import { StepTitle } from '@/components/runbooks/step-title';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import type { RunbookDraft } from '@/lib/runbooks/import-schema';
import { previewRunbookImportAction, saveImportedRunbooksAction } from '@/lib/runbooks/actions';

type Warning = { kind: 'secret' | 'encoding' | 'structure' | 'review_template'; line: number | null; message: string };
type Draft = RunbookDraft & { include: boolean };

const REFERENCE_LABELS: Record<string, string> = {
  contacts: 'Contacts',
  escalation: 'Escalation',
  message_template: 'Message template',
  report_template: 'Report template',
  severity_table: 'Severities',
  links: 'Links',
  other: 'Note',
};


type Counts = { phases: number; steps: number; commands: number; notes: number; links: number };

function countsOf(draft: RunbookDraft): Counts {
  const steps = draft.phases.flatMap((p) => p.steps);
  const links = draft.references.filter((r) => r.kind === 'links').reduce((n, r) => n + (r.markdown.match(/https?:\/\/\S+/g)?.length ?? 0), 0);
  return { phases: draft.phases.length, steps: steps.length, commands: steps.filter((s) => s.command).length, notes: draft.references.filter((r) => r.kind !== 'links').length, links };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Paste or upload Markdown → preview the runbooks it holds → adjust → save. */
export function RunbookImporter() {
  const router = useRouter();
  const { run, pending, result } = useServerAction();
  const [markdown, setMarkdown] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [redact, setRedact] = useState(true);
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [warnings, setWarnings] = useState<Warning[]>([]);

  function preview(withRedaction = redact) {
    setDrafts(null);
    run(
      () => previewRunbookImportAction(null, { markdown, title: title || undefined, redact: withRedaction }),
      (imported) => {
        setDrafts(imported.runbooks.map((runbook) => ({ ...runbook, include: true })));
        setWarnings(imported.warnings);
      },
    );
  }

  function save() {
    const chosen = (drafts ?? []).filter((draft) => draft.include && draft.phases.length > 0).map(({ include: _include, ...runbook }) => runbook);
    run(
      () => saveImportedRunbooksAction(null, { runbooks: chosen }),
      (saved) => router.push(saved.length === 1 ? `/runbooks/${saved[0]!.id}` : `/runbooks?imported=${saved.length}`),
    );
  }

  // The markdown field's own message when the server named it (the preview shows no field errors).
  const error = result && !result.ok ? (result.fieldErrors?.markdown ?? result.error) : null;

  const update = (index: number, change: Partial<Draft>) => setDrafts((all) => all && all.map((draft, i) => (i === index ? { ...draft, ...change } : draft)));
  const updateStep = (index: number, phase: number, step: number, title: string) =>
    setDrafts(
      (all) =>
        all &&
        all.map((draft, i) => (i === index ? { ...draft, phases: draft.phases.map((p, j) => (j === phase ? { ...p, steps: p.steps.map((st, k) => (k === step ? { ...st, title } : st)) } : p)) } : draft)),
    );
  const removeReference = (index: number, reference: number) =>
    setDrafts((all) => all && all.map((draft, i) => (i === index ? { ...draft, references: draft.references.filter((_, r) => r !== reference) } : draft)));
  const reviewTemplate = warnings.find((w) => w.kind === 'review_template');
  const removeStep = (index: number, phase: number, step: number) =>
    setDrafts(
      (all) =>
        all &&
        all.map((draft, i) =>
          i === index
            ? { ...draft, phases: draft.phases.map((p, j) => (j === phase ? { ...p, steps: p.steps.filter((_, k) => k !== step) } : p)).filter((p) => p.steps.length > 0) }
            : draft,
        ),
    );

  const secrets = warnings.filter((w) => w.kind === 'secret');
  const included = drafts?.filter((d) => d.include && d.phases.length > 0) ?? [];

  return (
    <div className="space-y-4">
      <form
        aria-label="Markdown to import"
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          preview();
        }}
      >
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Upload a file (.md or .txt)
            <input
              type="file"
              accept=".md,.markdown,.txt,text/markdown,text/plain"
              className="mt-1 block text-sm file:mr-2 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-2 file:py-1 file:text-sm file:text-zinc-800 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                setFileName(file.name);
                setMarkdown(await file.text());
                setDrafts(null);
              }}
            />
          </label>
          <label className="min-w-64 flex-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Title (optional: names the document, or the runbook if it holds one)
            <input value={title} onChange={(e) => setTitle(e.target.value)} className={`${inputClasses} mt-1`} />
          </label>
        </div>
        <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
          {fileName ? `Markdown (from ${fileName})` : 'Or paste Markdown'}
          <textarea
            value={markdown}
            onChange={(e) => {
              setMarkdown(e.target.value);
              setFileName(null);
            }}
            rows={10}
            spellCheck={false}
            placeholder={'## Database failure\n\n```bash\n# 1. Check MySQL status\nsystemctl status mysql\n```'}
            className={`${inputClasses} mt-1 font-mono text-xs`}
          />
        </label>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={pending || !markdown.trim()}>
            {pending && !drafts ? 'Reading…' : drafts ? 'Preview again' : 'Preview'}
          </Button>
          <label className="inline-flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={redact}
              onChange={(e) => {
                setRedact(e.target.checked);
                if (drafts) preview(e.target.checked);
              }}
            />
            Redact passwords, tokens and keys found in the text
          </label>
        </div>
      </form>

      {error ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      ) : null}

      {drafts ? (
        <section aria-label="Import preview" className="space-y-3">
          {reviewTemplate ? (
            <div role="status" className="rounded-md border border-indigo-300 bg-indigo-50 px-3 py-2 text-sm text-indigo-900 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-100">
              <p>{reviewTemplate.message}</p>
              <Button
                variant="secondary"
                className="mt-2 px-2 py-1 text-xs"
                onClick={() => {
                  sessionStorage.setItem(REVIEW_TEMPLATE_DRAFT_KEY, markdown);
                  router.push(`/settings/reviews?${REVIEW_TEMPLATE_HANDOFF}`);
                }}
              >
                Import as a review template
              </Button>
            </div>
          ) : null}
          {warnings.some((w) => w.kind !== 'review_template') ? (
            <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
              <h2 className="font-medium">
                {secrets.length ? `${secrets.length} secret${secrets.length === 1 ? '' : 's'} found${redact ? ' and redacted' : ' — they will be saved as written'}` : 'Warnings'}
              </h2>
              <ul className="mt-1 list-disc space-y-0.5 pl-5">
                {warnings
                  .filter((w) => w.kind !== 'review_template')
                  .map((w, i) => (
                    <li key={i}>{w.message}</li>
                  ))}
              </ul>
            </div>
          ) : null}

          <div className="flex flex-wrap items-center gap-3">
            <h2 className="text-sm font-medium">
              {drafts.length} runbook{drafts.length === 1 ? '' : 's'} found · {drafts.reduce((n, d) => n + d.phases.reduce((m, p) => m + p.steps.length, 0), 0)} steps
            </h2>
            {drafts.length > 1 ? (
              <>
                <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setDrafts((all) => all && all.map((d) => ({ ...d, include: true })))}>
                  Select all
                </Button>
                <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setDrafts((all) => all && all.map((d) => ({ ...d, include: false })))}>
                  Select none
                </Button>
              </>
            ) : null}
          </div>

          <ol className="space-y-3">
            {drafts.map((draft, index) => (
              <li key={index} className={`rounded-lg border p-3 ${draft.include ? 'border-zinc-200 dark:border-zinc-800' : 'border-dashed border-zinc-300 opacity-60 dark:border-zinc-700'}`}>
                <div className="flex flex-wrap items-center gap-2">
                  <label className="inline-flex items-center gap-1.5 text-sm">
                    <input type="checkbox" checked={draft.include} onChange={(e) => update(index, { include: e.target.checked })} aria-label={`Import runbook ${index + 1}`} />
                    Import
                  </label>
                  <input
                    value={draft.title}
                    onChange={(e) => update(index, { title: e.target.value })}
                    aria-label={`Title of runbook ${index + 1}`}
                    className={`${inputClasses} min-w-64 flex-1 font-medium`}
                  />
                  <span className="text-xs text-zinc-500" aria-label={`What was recognised in runbook ${index + 1}`}>
                    {(() => {
                      const c = countsOf(draft);
                      return `${draft.severities.join(', ') || 'any severity'} · ${plural(c.phases, 'phase')} · ${plural(c.steps, 'step')} · ${plural(c.commands, 'command')} · ${plural(c.notes, 'note')} · ${plural(c.links, 'link')}`;
                    })()}
                  </span>
                </div>
                <div className="mt-2 flex flex-wrap items-center gap-2 text-xs">
                  <label className="inline-flex min-w-64 flex-1 items-center gap-1.5 text-zinc-600 dark:text-zinc-400">
                    Tags
                    <input
                      value={draft.tags.join(', ')}
                      onChange={(e) => update(index, { tags: e.target.value.split(',').map((t) => t.trim()).filter(Boolean) })}
                      aria-label={`Tags of runbook ${index + 1}`}
                      className={`${inputClasses} py-0.5 text-xs`}
                    />
                  </label>
                </div>
                {draft.description ? (
                  <details className="mt-2">
                    <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">Description</summary>
                    <textarea
                      value={draft.description}
                      onChange={(e) => update(index, { description: e.target.value })}
                      rows={4}
                      aria-label={`Description of runbook ${index + 1}`}
                      className={`${inputClasses} mt-1 text-xs`}
                    />
                  </details>
                ) : null}
                <details className="mt-2" open={drafts.length <= 3}>
                  <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">Phases and steps</summary>
                  <div className="mt-2 space-y-2">
                    {draft.phases.map((phase, p) => (
                      <div key={p}>
                        <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">
                          {phase.title}
                          {phase.timeBudget ? <span className="ml-2 font-normal normal-case">({phase.timeBudget})</span> : null}
                        </h3>
                        <ol className="mt-1 space-y-1">
                          {phase.steps.map((step, s) => (
                            <li key={s} className="grid grid-cols-[1.5rem_minmax(0,1fr)_auto] gap-2 rounded bg-zinc-50 px-2 py-1 text-sm dark:bg-zinc-800/40">
                              <span className="text-right tabular-nums text-zinc-400">{s + 1}.</span>
                              <div className="min-w-0">
                                <p>
                                  <StepTitle title={step.title} />
                                </p>
                                <details className="text-xs">
                                  <summary className="cursor-pointer text-zinc-500">Edit title</summary>
                                  <input value={step.title} onChange={(e) => updateStep(index, p, s, e.target.value)} aria-label={`Title of step ${s + 1} in runbook ${index + 1}`} className={`${inputClasses} mt-1 py-0.5 text-xs`} />
                                </details>
                                {step.command ? (
                                  <pre aria-label="Command" className="mt-0.5 max-h-32 overflow-auto rounded bg-zinc-900 px-2 py-1 font-mono text-xs text-zinc-100">
                                    {step.command}
                                  </pre>
                                ) : null}
                                {step.detail ? <p className="mt-0.5 max-h-40 overflow-auto whitespace-pre-wrap text-xs text-zinc-500">{step.detail}</p> : null}
                              </div>
                              <Button variant="ghost" className="px-2 py-0.5 text-xs" aria-label={`Remove step ${s + 1} “${step.title}” from runbook ${index + 1}`} onClick={() => removeStep(index, p, s)}>
                                ✕
                              </Button>
                            </li>
                          ))}
                        </ol>
                      </div>
                    ))}
                    {draft.references.length ? (
                      <div>
                        <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Notes and links kept with the runbook</h3>
                        <ul className="mt-1 space-y-1">
                          {draft.references.map((reference, r) => (
                            <li key={r} className="grid grid-cols-[minmax(0,1fr)_auto] gap-2 rounded bg-zinc-50 px-2 py-1 text-xs dark:bg-zinc-800/40">
                              <details>
                                <summary className="cursor-pointer">
                                  <span className="font-medium">{REFERENCE_LABELS[reference.kind]}</span>: {reference.title}
                                </summary>
                                <pre className="mt-1 max-h-40 overflow-auto whitespace-pre-wrap font-sans text-zinc-600 dark:text-zinc-400">{reference.markdown}</pre>
                              </details>
                              <Button variant="ghost" className="px-2 py-0.5 text-xs" aria-label={`Remove note “${reference.title}” from runbook ${index + 1}`} onClick={() => removeReference(index, r)}>
                                ✕
                              </Button>
                            </li>
                          ))}
                        </ul>
                      </div>
                    ) : null}
                  </div>
                </details>
              </li>
            ))}
          </ol>

          <div className="flex flex-wrap items-center gap-3 border-t border-zinc-200 pt-3 dark:border-zinc-800">
            <Button onClick={save} disabled={pending || included.length === 0}>
              {pending ? 'Importing…' : `Import ${included.length} runbook${included.length === 1 ? '' : 's'}`}
            </Button>
            <Link href="/runbooks" className="text-sm text-zinc-600 underline dark:text-zinc-400">
              Cancel
            </Link>
            <span className="text-xs text-zinc-500">Each runbook can be edited after import; every edit is a new version.</span>
          </div>
        </section>
      ) : null}
    </div>
  );
}
