'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ReviewEditor } from '@/components/postmortems/review-editor';
import { Button, buttonClasses } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { useServerAction } from '@/components/ui/use-server-action';
import { createActionItemAction, generatePostmortemAction, setPostmortemStatusAction, updateActionItemAction } from '@/lib/postmortems/actions';
import type { ActionResult } from '@/lib/platform/auth/action';
import type { ActionItemDto, PostmortemDto, PostmortemStatus } from '@/lib/postmortems/schema';
import { formatDateTime } from '@/lib/platform/time';

const statusLabel: Record<PostmortemStatus, string> = { draft: 'Draft', in_review: 'In review', published: 'Published' };

function ActionItems({ number, items, people, canEdit, draft, setDraft }: { number: number; items: ActionItemDto[]; people: { email: string; name: string }[]; canEdit: boolean; draft: string; setDraft: (t: string) => void }) {
  const router = useRouter();
  const { run, pending, error } = useServerAction();
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [url, setUrl] = useState('');
  return (
    <section aria-labelledby="action-items" className="space-y-2">
      <h2 id="action-items" className="text-sm font-semibold">
        Action items ({items.length})
      </h2>
      <ul className="space-y-1.5">
        {items.map((item) => (
          <li key={item.id} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              aria-label={`Done: ${item.title}`}
              checked={item.status === 'done'}
              disabled={!canEdit || pending}
              onChange={(e) => run(() => updateActionItemAction(null, { id: item.id, status: e.target.checked ? 'done' : 'open' }), () => router.refresh())}
              className="mt-1"
            />
            <div className="min-w-0">
              <p className={item.status === 'done' ? 'text-zinc-500 line-through' : ''}>{item.url ? <a href={item.url} className="text-sky-700 hover:underline dark:text-sky-400">{item.title}</a> : item.title}</p>
              <p className={`text-xs ${item.overdue ? 'font-medium text-red-600 dark:text-red-400' : 'text-zinc-500'}`}>
                {item.owner?.name ?? 'no owner'} · due {item.dueDate ?? '—'}
                {item.overdue ? ' · overdue' : ''}
              </p>
            </div>
          </li>
        ))}
      </ul>
      {canEdit ? (
        <form
          aria-label="Add an action item"
          className="space-y-1.5 border-t border-zinc-100 pt-2 dark:border-zinc-800"
          onSubmit={(e) => {
            e.preventDefault();
            run(
              () => createActionItemAction(null, { number, title: draft, ownerEmail: owner || undefined, dueDate: due || undefined, url: url || undefined }),
              () => {
                setDraft('');
                setUrl('');
                router.refresh();
              },
            );
          }}
        >
          <label className="block text-xs text-zinc-600 dark:text-zinc-400">
            Action item
            <input value={draft} onChange={(e) => setDraft(e.target.value)} required className={`${inputClasses} mt-0.5`} placeholder="Add a canary stage for config pushes" />
          </label>
          <div className="grid grid-cols-2 gap-1.5">
            <label className="block text-xs text-zinc-600 dark:text-zinc-400">
              Owner
              <select value={owner} onChange={(e) => setOwner(e.target.value)} className={`${inputClasses} mt-0.5`}>
                <option value="">Nobody yet</option>
                {people.map((p) => (
                  <option key={p.email} value={p.email}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="block text-xs text-zinc-600 dark:text-zinc-400">
              Due (default by severity)
              <input type="date" value={due} onChange={(e) => setDue(e.target.value)} className={`${inputClasses} mt-0.5`} />
            </label>
          </div>
          <label className="block text-xs text-zinc-600 dark:text-zinc-400">
            Ticket link (optional)
            <input value={url} onChange={(e) => setUrl(e.target.value)} className={`${inputClasses} mt-0.5`} placeholder="https://…" />
          </label>
          <Button type="submit" variant="secondary" disabled={pending || !draft.trim()}>
            Add action item
          </Button>
        </form>
      ) : null}
      {error ? <p role="alert" className="text-xs text-red-600 dark:text-red-400">{error}</p> : null}
    </section>
  );
}

const next: Record<PostmortemStatus, { to: PostmortemStatus; label: string }[]> = {
  draft: [{ to: 'in_review', label: 'Ask for review' }, { to: 'published', label: 'Publish' }],
  in_review: [{ to: 'published', label: 'Publish' }, { to: 'draft', label: 'Back to draft' }],
  published: [{ to: 'draft', label: 'Reopen' }],
};

/** The review page's client side: toolbar, the document, and its action items. */
export function ReviewWorkspace({ number, review: rendered, people, canEdit, me }: { number: number; review: PostmortemDto | null; people: { email: string; name: string }[]; canEdit: boolean; me: string }) {
  const router = useRouter();
  // What publishing would warn about follows the editor's saves, not only the last page render.
  const [latest, setLatest] = useState<PostmortemDto | null>(null);
  const review = latest && rendered && latest.version > rendered.version ? { ...rendered, gaps: latest.gaps } : rendered;
  const form = useServerAction();
  const { pending } = form;
  // A refusal that names sections (publishing a review without its root cause) is said as the server put it.
  const error = form.summary ?? form.error;
  const [draft, setDraft] = useState('');
  const [confirmingPublish, setConfirmingPublish] = useState(false);
  const run = <T,>(action: () => Promise<ActionResult<T>>) => form.run(action, () => router.refresh());

  if (!review) {
    return (
      <div className="space-y-2">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No review yet. Sitrep writes the first draft from the incident: key times, responders, the timeline’s key events, runbook steps, remediations and status updates. People write the root cause and lessons.</p>
        {canEdit ? (
          <Button disabled={pending} onClick={() => run(() => generatePostmortemAction(null, { number }))}>
            Generate the review
          </Button>
        ) : null}
        {error ? <p role="alert" className="text-sm text-red-600">{error}</p> : null}
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <div className="no-print flex flex-wrap items-center gap-2">
        <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-medium dark:bg-zinc-800" aria-label="Review status">
          {statusLabel[review.status]}
        </span>
        <span className="text-xs text-zinc-500">version {review.version}</span>
        {canEdit
          ? next[review.status].map((n) => (
              <Button
                key={n.to}
                variant={n.to === 'published' ? 'primary' : 'secondary'}
                className="px-2 py-1 text-xs"
                disabled={pending}
                onClick={() => {
                  // Empty sections are worth a second look before the review is published.
                  if (n.to === 'published' && review.gaps.empty.length && !review.gaps.missing.length) setConfirmingPublish(true);
                  else run(() => setPostmortemStatusAction(null, { number, status: n.to }));
                }}
              >
                {n.label}
              </Button>
            ))
          : null}
        {canEdit && review.status !== 'published' ? (
          <Button variant="ghost" className="px-2 py-1 text-xs" disabled={pending} onClick={() => run(() => generatePostmortemAction(null, { number, regenerate: true }))} title="Refresh the generated sections nobody has edited">
            Regenerate
          </Button>
        ) : null}
        <a href={`/api/v1/incidents/${number}/postmortem.md`} download className={buttonClasses('ghost', 'ml-auto px-2 py-1 text-xs')}>
          Export Markdown
        </a>
        <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => window.print()}>
          Print / PDF
        </Button>
      </div>
      {error ? <p role="alert" className="no-print text-sm text-red-600 dark:text-red-400">{error}</p> : null}
      {canEdit && review.status !== 'published' && review.gaps.missing.length ? (
        <p className="no-print rounded-md border border-amber-300 bg-amber-50 px-2.5 py-1.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {review.incident.key} needs a review that says why it happened and what follows before it is published. Still empty: {review.gaps.missing.join('; ')}.
        </p>
      ) : null}
      {confirmingPublish ? (
        <div role="alertdialog" aria-labelledby="publish-warning" className="no-print space-y-2 rounded-md border border-amber-300 bg-amber-50 p-2.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100">
          <p id="publish-warning">
            {review.gaps.empty.length === 1 ? 'This section is empty' : 'These sections are empty'}: {review.gaps.empty.join(', ')}. They are left out of the published review.
          </p>
          <div className="flex gap-2">
            <Button
              className="px-2 py-1 text-xs"
              disabled={pending}
              autoFocus
              onClick={() => {
                setConfirmingPublish(false);
                run(() => setPostmortemStatusAction(null, { number, status: 'published' }));
              }}
            >
              Publish anyway
            </Button>
            <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => setConfirmingPublish(false)}>
              Keep writing
            </Button>
          </div>
        </div>
      ) : null}
      {review.status === 'published' ? <p className="no-print text-sm text-zinc-600 dark:text-zinc-400">Published {review.publishedAt ? formatDateTime(review.publishedAt) : ''}; read-only until reopened.</p> : null}
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_18rem]">
        <ReviewEditor review={rendered!} canEdit={canEdit} me={me} onMakeActionItem={canEdit ? (text) => setDraft(text.slice(0, 300)) : undefined} onReview={setLatest} />
        <aside className="no-print xl:sticky xl:top-16 xl:self-start">
          <ActionItems number={number} items={review.actionItems} people={people} canEdit={canEdit} draft={draft} setDraft={setDraft} />
        </aside>
      </div>
    </div>
  );
}
