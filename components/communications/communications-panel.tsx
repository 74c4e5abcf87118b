'use client';

import { useState } from 'react';
import { useServerAction } from '@/components/ui/use-server-action';
import { Countdown } from '@/components/incidents/countdown';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { RenderedMarkdown } from '@/components/ui/rendered-markdown';
import { useMarkdownPreview } from '@/components/ui/use-markdown-preview';
import { useNow } from '@/components/ui/use-now';
import { draftUpdateAction, postUpdateAction } from '@/lib/communications/actions';
import type { Audience, TemplateDto, UpdateDto } from '@/lib/communications/schema';
import { previewMarkdownAction } from '@/lib/incidents/actions';
import type { SafeHtml } from '@/lib/platform/markdown/safe-html';
import { formatClock } from '@/lib/platform/time';

async function renderPreview(text: string): Promise<SafeHtml | null> {
  const result = await previewMarkdownAction(null, { markdown: text, hardBreaks: true });
  return result.ok ? result.data.html : null;
}

type Props = {
  number: number;
  updates: UpdateDto[];
  templates: TemplateDto[];
  nextUpdateDueAt: string | null;
  cadenceMinutes: number;
  /** Set when the person looking is the one who owes the update (Communications Lead, else the commander). */
  youOweTheUpdate: boolean;
  canPost: boolean;
  /** A private incident never appears on the status page: only internal updates. */
  isPrivate?: boolean;
};

/**
 * The Communications Lead's corner of the command view: when the next update is due, composing
 * one from a template for the team or the status page, and what was said so far.
 */
export function CommunicationsPanel({ number, updates, templates, nextUpdateDueAt, cadenceMinutes, youOweTheUpdate, canPost, isPrivate = false }: Props) {
  const { run, pending, error } = useServerAction();
  const draft = useServerAction();
  const now = useNow(15_000);
  const [chosenAudience, setAudience] = useState<Audience>('public');
  const audience: Audience = isPrivate ? 'internal' : chosenAudience;
  const [template, setTemplate] = useState('');
  const [body, setBody] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const [posted, setPosted] = useState<string | null>(null);
  const overdue = nextUpdateDueAt !== null && new Date(nextUpdateDueAt).getTime() < now;
  // Rendered by the server only while the preview is open.
  const preview = useMarkdownPreview(previewing ? body.trim() : '', renderPreview);

  function choose(key: string) {
    setTemplate(key);
    setPosted(null);
    if (!key) return;
    draft.run(
      () => draftUpdateAction(null, { number, template: key }),
      (data) => {
        setBody(data.body);
        setAudience(data.audience);
      },
    );
  }

  function post() {
    run(
      () => postUpdateAction(null, { number, update: { audience, body, template: template || undefined } }),
      (update) => {
        setBody('');
        setTemplate('');
        setPreviewing(false);
        setPosted(update.audience === 'public' ? 'Posted: it is on the status page now.' : 'Posted to the team.');
      },
    );
  }

  return (
    <div className="space-y-3">
      {nextUpdateDueAt ? (
        <p className="flex flex-wrap items-center gap-x-2 text-sm">
          <Countdown due={nextUpdateDueAt} label="Next update" />
          <span className="text-xs text-zinc-500">every {cadenceMinutes} min</span>
        </p>
      ) : null}
      {overdue && youOweTheUpdate ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-2.5 py-1.5 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          Your status update is overdue. Post a progress update, even if nothing changed.
        </p>
      ) : null}

      {canPost ? (
        <form
          aria-label="Post a status update"
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            post();
          }}
        >
          <div className="flex flex-wrap items-center gap-2">
            <fieldset className="flex items-center gap-3 text-sm">
              <legend className="sr-only">Audience</legend>
              <label className="inline-flex items-center gap-1" title={isPrivate ? 'A private incident is never on the public status page' : undefined}>
                <input type="radio" name="audience" value="public" checked={audience === 'public'} disabled={isPrivate} onChange={() => setAudience('public')} />
                Public (status page)
              </label>
              <label className="inline-flex items-center gap-1">
                <input type="radio" name="audience" value="internal" checked={audience === 'internal'} onChange={() => setAudience('internal')} />
                Internal
              </label>
            </fieldset>
            {isPrivate ? <span className="text-xs text-zinc-500">Private: never on the status page.</span> : null}
            <label className="sr-only" htmlFor={`update-template-${number}`}>
              Template
            </label>
            <select id={`update-template-${number}`} value={template} onChange={(e) => choose(e.target.value)} className={`${inputClasses} ml-auto w-auto py-1 text-sm`}>
              <option value="">Start from a template…</option>
              {templates.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.name} ({t.audience})
                </option>
              ))}
            </select>
          </div>
          <label className="sr-only" htmlFor={`update-body-${number}`}>
            Update text
          </label>
          <textarea
            id={`update-body-${number}`}
            value={body}
            onChange={(e) => {
              setBody(e.target.value);
              setPosted(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && body.trim()) {
                e.preventDefault();
                post();
              }
            }}
            rows={4}
            placeholder={audience === 'public' ? 'What customers should know: impact, what you are doing, when the next update comes.' : 'What the team should know.'}
            className={`${inputClasses} text-sm`}
          />
          {previewing && body.trim() ? (
            <div aria-label="Preview" className="rounded-md border border-zinc-200 p-2.5 dark:border-zinc-700">
              <p className="text-xs text-zinc-500">{audience === 'public' ? 'As it will appear on the status page (variables are filled in when posted):' : 'As the team will read it:'}</p>
              {preview.html ? (
                <RenderedMarkdown html={preview.html} className={`mt-1 ${preview.stale ? 'opacity-70' : ''}`} />
              ) : (
                // The server's rendering is on its way; the text meanwhile, as typed.
                <p className="mt-1 whitespace-pre-wrap text-sm opacity-70">{body.trim()}</p>
              )}
            </div>
          ) : null}
          <div className="flex items-center gap-2">
            <Button type="submit" variant={audience === 'public' ? 'primary' : 'secondary'} disabled={pending || !body.trim()}>
              {pending ? 'Posting…' : audience === 'public' ? 'Post to status page' : 'Post internal update'}
            </Button>
            <Button variant="ghost" className="text-xs" aria-pressed={previewing} onClick={() => setPreviewing((p) => !p)} disabled={!body.trim()}>
              Preview
            </Button>
            {draft.pending ? <span className="text-xs text-zinc-500">Filling in the template…</span> : null}
            {posted ? (
              <span role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
                {posted}
              </span>
            ) : null}
          </div>
          {error || draft.error ? (
            <p role="alert" className="text-xs text-red-600 dark:text-red-400">
              {error ?? draft.error}
            </p>
          ) : null}
        </form>
      ) : null}

      {updates.length ? (
        <ol aria-label="Status updates" className="space-y-2 border-t border-zinc-100 pt-2 dark:border-zinc-800">
          {updates.map((u) => (
            <li key={u.id} className="text-sm">
              <p className="text-xs text-zinc-500">
                <span className={`mr-1.5 rounded px-1 py-0.5 font-medium ${u.audience === 'public' ? 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200' : 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300'}`}>{u.audience}</span>
                {formatClock(u.postedAt)}
                {u.postedBy ? ` · ${u.postedBy.name}` : ''}
              </p>
              <RenderedMarkdown html={u.bodyHtml} className="mt-0.5 line-clamp-3" />
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-xs text-zinc-500">No status update yet.</p>
      )}
    </div>
  );
}
