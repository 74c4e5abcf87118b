'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { REVIEW_TEMPLATE_DRAFT_KEY, REVIEW_TEMPLATE_HANDOFF } from '@/components/runbooks/review-template-handoff';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { deleteReviewTemplateAction, saveReviewTemplateAction } from '@/lib/postmortems/actions';
import type { ReviewTemplateDto } from '@/lib/postmortems/schema';

const PAGERDUTY_EXAMPLE = `## Summary\n\n## Impact\n\n## Responders\n\n## Timeline\n\n## Root cause and contributing factors\n\n## Resolution\n\n## What went well\n\n## What didn't go well\n\n## Action items\n\n## Messaging\n`;

/** A review template: paste Markdown; each “## Heading” becomes a section. */
export function ReviewTemplateForm({ template, severities, canEdit }: { template?: ReviewTemplateDto; severities: string[]; canEdit: boolean }) {
  const router = useRouter();
  const { run, pending, error, done } = useServerAction();
  const [name, setName] = useState(template?.name ?? '');
  const [markdown, setMarkdown] = useState(template?.markdown ?? '');
  const [chosen, setChosen] = useState<string[]>(template?.severities ?? []);
  const headings = markdown.split('\n').filter((l) => /^##\s+\S/.test(l)).map((l) => l.replace(/^##\s+/, '').trim());
  // A template sent here from the runbook importer can fill the new-template form.
  const searchParams = useSearchParams();
  const handedOver = !template && canEdit && searchParams.toString().includes(REVIEW_TEMPLATE_HANDOFF);
  return (
    <form
      aria-label={template ? `Review template ${template.name}` : 'New review template'}
      className="space-y-2 py-3"
      onSubmit={(e) => {
        e.preventDefault();
        run(
          () => saveReviewTemplateAction(null, { id: template?.id, name, markdown, severities: chosen }),
          (saved) => {
            if (!template) {
              setName('');
              setMarkdown('');
              setChosen([]);
            }
            router.refresh();
            return `Saved “${saved.name}” with ${saved.sections.length} sections.`;
          },
        );
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <label className="min-w-48 flex-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} disabled={!canEdit} required className={`${inputClasses} mt-1`} placeholder="PagerDuty-style review" />
        </label>
        <fieldset className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <legend>Use for</legend>
          <div className="mt-1.5 flex gap-3">
            {severities.map((s) => (
              <label key={s} className="inline-flex items-center gap-1 font-normal">
                <input type="checkbox" disabled={!canEdit} checked={chosen.includes(s)} onChange={(e) => setChosen((all) => (e.target.checked ? [...all, s] : all.filter((x) => x !== s)))} />
                {s}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Template (Markdown; paste one as it is)
        <textarea value={markdown} onChange={(e) => setMarkdown(e.target.value)} disabled={!canEdit} rows={8} className={`${inputClasses} mt-1 font-mono text-xs`} placeholder={PAGERDUTY_EXAMPLE} />
      </label>
      {handedOver && !markdown ? (
        <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => setMarkdown(sessionStorage.getItem(REVIEW_TEMPLATE_DRAFT_KEY) ?? '')}>
          Use the template pasted in the runbook importer
        </Button>
      ) : null}
      <p className="text-xs text-zinc-500">{headings.length ? `Sections: ${headings.join(' · ')}` : 'No “## Heading” yet: each one becomes a section.'}</p>
      {template && (template.guidance || template.sections.some((s) => s.prompt)) ? (
        <details className="text-xs text-zinc-600 dark:text-zinc-400">
          <summary className="cursor-pointer">What reviewers will see from this template</summary>
          {template.guidance ? <p className="mt-1 whitespace-pre-wrap">Guidance (the text before the first section): {template.guidance}</p> : null}
          <ul className="mt-1 space-y-0.5">
            {template.sections.map((s) => (
              <li key={s.key}>
                <span className="font-medium">{s.title}</span>
                {s.generated ? ' (written by Sitrep from the incident)' : ''}
                {s.prompt ? <span>: prompt “{s.prompt.length > 160 ? `${s.prompt.slice(0, 159)}…` : s.prompt}”</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {canEdit ? (
        <div className="flex gap-2">
          <Button type="submit" variant={template ? 'secondary' : 'primary'} disabled={pending}>
            {template ? 'Save' : 'Add template'}
          </Button>
          {template ? (
            <Button
              variant="danger"
              disabled={pending}
              aria-label={`Delete review template ${template.name}`}
              onClick={() => run(() => deleteReviewTemplateAction(null, { id: template.id }), () => router.refresh())}
            >
              Delete
            </Button>
          ) : null}
        </div>
      ) : null}
      <FormOutcome error={error} done={done} className="text-xs" />
    </form>
  );
}
