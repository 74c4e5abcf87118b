'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { RenderedMarkdown } from '@/components/ui/rendered-markdown';
import { presenceAction, restoreRevisionAction, saveSectionAction } from '@/lib/postmortems/actions';
import { lineDiff, mergeTexts } from '@/lib/postmortems/merge';
import type { PostmortemDto, RevisionDto, SectionDto } from '@/lib/postmortems/schema';
import { formatClock, formatDateTime } from '@/lib/platform/time';

type SaveState = { kind: 'saved' } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'error'; message: string } | { kind: 'conflict'; message: string; theirs: SectionDto; theirVersion: number };

type Local = { body: string; base: number; state: SaveState };

const AUTOSAVE_MS = 1_200;

function stateText(state: SaveState, section: SectionDto): string {
  switch (state.kind) {
    case 'saving':
      return 'Saving…';
    case 'dirty':
      return 'Unsaved changes';
    case 'error':
      return `Not saved: ${state.message}`;
    case 'conflict':
      return 'Conflict: not saved';
    default:
      return section.updatedBy ? `Saved · ${section.updatedBy.name} at ${formatClock(section.updatedAt)}` : section.edited ? 'Saved' : 'Generated';
  }
}

/**
 * The section as it will read: the server's rendering of the saved text, which every autosave
 * (a moment after typing pauses, or on leaving the field) brings back with the new version.
 * Riding on the save keeps the browser free of a Markdown parser and adds no request: a
 * separate preview action would queue ahead of saves (Next runs a page's actions one at a time).
 * Until the save lands, the preview is dimmed.
 */
function SectionPreview({ section, body }: { section: SectionDto; body: string }) {
  const stale = body !== section.body;
  return (
    <div aria-label={`${section.title} preview`} aria-busy={stale} className={`min-w-0 text-sm transition-opacity ${stale ? 'opacity-70' : ''}`}>
      {section.body.trim() ? <RenderedMarkdown html={section.bodyHtml} /> : <p className="no-print text-zinc-500 italic">Not written yet.</p>}
    </div>
  );
}

function History({ number, section, current, base, readOnly, onRestored }: { number: number; section: SectionDto; current: string; base: number; readOnly: boolean; onRestored: (review: PostmortemDto) => void }) {
  const [revisions, setRevisions] = useState<RevisionDto[] | null>(null);
  const [chosen, setChosen] = useState<RevisionDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void fetch(`/api/v1/incidents/${number}/postmortem/sections/${section.key}/revisions`)
      .then((r) => r.json() as Promise<{ items: RevisionDto[] }>)
      .then((data) => setRevisions(data.items));
  }, [number, section.key]);
  if (!revisions) return <p className="text-xs text-zinc-500">Loading history…</p>;
  return (
    <div className="grid grid-cols-1 gap-2 rounded-md border border-zinc-200 p-2 text-xs md:grid-cols-[14rem_1fr] dark:border-zinc-700">
      <ol aria-label={`Revisions of ${section.title}`} className="max-h-60 space-y-0.5 overflow-y-auto">
        {revisions.map((r) => (
          <li key={r.id}>
            <button type="button" className={`w-full rounded px-1.5 py-0.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800 ${chosen?.id === r.id ? 'bg-zinc-100 dark:bg-zinc-800' : ''}`} onClick={() => setChosen(r)}>
              v{r.version} · {r.author?.name ?? 'generated'} · {formatDateTime(r.createdAt)}
            </button>
          </li>
        ))}
      </ol>
      {chosen ? (
        <div className="min-w-0 space-y-1.5">
          <p className="font-medium">Version {chosen.version} compared with the current text</p>
          <pre aria-label="Differences" className="max-h-60 overflow-auto rounded bg-zinc-50 p-2 font-mono text-[11px] dark:bg-zinc-950">
            {lineDiff(chosen.body, current).map((line, i) => (
              <div key={i} className={line.kind === 'added' ? 'bg-emerald-100 dark:bg-emerald-950' : line.kind === 'removed' ? 'bg-red-100 line-through dark:bg-red-950' : ''}>
                {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
                {line.text}
              </div>
            ))}
          </pre>
          {!readOnly ? (
            <Button
              variant="secondary"
              className="px-2 py-0.5 text-xs"
              onClick={async () => {
                const result = await restoreRevisionAction(null, { number, key: section.key, revisionId: chosen.id, baseVersion: base });
                if (result.ok) onRestored(result.data);
                else setError(result.error);
              }}
            >
              Restore version {chosen.version}
            </Button>
          ) : null}
          {error ? <p role="alert" className="text-red-600">{error}</p> : null}
        </div>
      ) : (
        <p className="text-zinc-500">Choose a revision to compare it with the current text.</p>
      )}
    </div>
  );
}

/**
 * The review, section by section: Markdown with a live preview, autosave a moment after typing
 * stops, the save state always visible. A refused save (someone saved the section first) shows
 * both texts and a merge; nothing is overwritten silently.
 */
export function ReviewEditor({ review: initial, canEdit, me, onMakeActionItem, onReview }: { review: PostmortemDto; canEdit: boolean; me: string; onMakeActionItem?: (text: string) => void; onReview?: (review: PostmortemDto) => void }) {
  const [review, setReview] = useState(initial);
  const [local, setLocal] = useState<Record<string, Local>>(() => Object.fromEntries(initial.sections.map((s) => [s.key, { body: s.body, base: initial.version, state: { kind: 'saved' } }])));
  const [focused, setFocused] = useState<string | null>(null);
  const [others, setOthers] = useState<{ name: string; email: string; sectionKey: string | null }[]>([]);
  const [history, setHistory] = useState<string | null>(null);
  const timers = useRef<Record<string, ReturnType<typeof setTimeout>>>({});
  const readOnly = !canEdit || review.status === 'published';

  // The server's newer review: sections without unsaved local edits take its text and version.
  const absorb = useCallback((next: PostmortemDto, savedKey?: string) => {
    setReview(next);
    onReview?.(next);
    setLocal((all) => {
      const copy = { ...all };
      for (const s of next.sections) {
        const mine = copy[s.key];
        if (!mine || s.key === savedKey || mine.state.kind === 'saved') copy[s.key] = { body: s.key === savedKey && mine ? mine.body : s.body, base: next.version, state: { kind: 'saved' } };
      }
      return copy;
    });
  }, [onReview]);

  // A fresh server render (after publishing, regenerating…): take it in, keeping unsaved edits.
  const [seen, setSeen] = useState(initial);
  if (seen !== initial) {
    setSeen(initial);
    setReview(initial);
    setLocal((all) => {
      const copy = { ...all };
      for (const s of initial.sections) if (!copy[s.key] || copy[s.key]!.state.kind === 'saved') copy[s.key] = { body: s.body, base: initial.version, state: { kind: 'saved' } };
      return copy;
    });
  }

  // Presence: a heartbeat says where I am (at once when I move, then every 10 s); the review's
  // stream pushes who else is here and every save, so untouched sections follow along live.
  useEffect(() => {
    if (!canEdit) return;
    let stopped = false;
    const beat = async () => {
      const result = await presenceAction(null, { number: review.incident.number, sectionKey: focused });
      if (!stopped && result.ok) setOthers(result.data);
    };
    void beat();
    const timer = setInterval(() => void beat(), 10_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [canEdit, focused, review.incident.number]);

  const version = useRef(review.version);
  useEffect(() => {
    version.current = review.version;
  }, [review.version]);
  useEffect(() => {
    const number = review.incident.number;
    const source = new EventSource(`/api/v1/incidents/${number}/postmortem/stream`);
    source.addEventListener('presence', (e) => {
      const people = JSON.parse((e as MessageEvent<string>).data) as { name: string; email: string; sectionKey: string | null }[];
      setOthers(people.filter((p) => p.email !== me));
    });
    source.addEventListener('review', (e) => {
      const { version: saved } = JSON.parse((e as MessageEvent<string>).data) as { version: number | null };
      if (saved !== null && saved <= version.current) return;
      void fetch(`/api/v1/incidents/${number}/postmortem`)
        .then((r) => (r.ok ? (r.json() as Promise<PostmortemDto>) : null))
        .then((latest) => {
          if (latest && latest.version > version.current) absorb(latest);
        });
    });
    return () => source.close();
  }, [absorb, me, review.incident.number]);

  async function save(key: string, body: string, base: number) {
    setLocal((all) => ({ ...all, [key]: { ...all[key]!, state: { kind: 'saving' } } }));
    const result = await saveSectionAction(null, { number: review.incident.number, key, body, baseVersion: base });
    if (result.ok) {
      // Still the text that was sent? Then it is saved; otherwise the next autosave follows.
      setLocal((all) => (all[key]!.body === body ? { ...all, [key]: { body, base: result.data.version, state: { kind: 'saved' } } } : { ...all, [key]: { ...all[key]!, base: result.data.version, state: { kind: 'dirty' } } }));
      absorb(result.data, key);
      return;
    }
    if (result.status === 412) {
      const latest = (await (await fetch(`/api/v1/incidents/${review.incident.number}/postmortem`)).json()) as PostmortemDto;
      const theirs = latest.sections.find((s) => s.key === key)!;
      setReview(latest);
      setLocal((all) => ({ ...all, [key]: { ...all[key]!, state: { kind: 'conflict', message: result.error, theirs, theirVersion: latest.version } } }));
      return;
    }
    setLocal((all) => ({ ...all, [key]: { ...all[key]!, state: { kind: 'error', message: result.error } } }));
  }

  // The latest local state for timers and blur handlers, which outlive the render they came from.
  const localRef = useRef(local);
  useEffect(() => {
    localRef.current = local;
  }, [local]);

  function scheduleSave(key: string) {
    clearTimeout(timers.current[key]);
    timers.current[key] = setTimeout(() => {
      const entry = localRef.current[key];
      if (entry?.state.kind === 'dirty') void save(key, entry.body, entry.base);
    }, AUTOSAVE_MS);
  }

  function edit(key: string, body: string) {
    setLocal((all) => ({ ...all, [key]: { ...all[key]!, body, state: all[key]!.state.kind === 'conflict' ? all[key]!.state : { kind: 'dirty' } } }));
    scheduleSave(key);
  }

  return (
    <div className="space-y-6">
      {review.sections.map((section) => {
        const entry = local[section.key] ?? { body: section.body, base: review.version, state: { kind: 'saved' } as SaveState };
        const here = others.filter((o) => o.sectionKey === section.key);
        const conflict = entry.state.kind === 'conflict' ? entry.state : null;
        return (
          <section key={section.key} aria-labelledby={`section-${section.key}`} className="review-section">
            <header className="flex flex-wrap items-center gap-2 border-b border-zinc-200 pb-1 dark:border-zinc-800">
              <h2 id={`section-${section.key}`} className="text-base font-semibold">
                {section.title}
              </h2>
              {section.generated && !section.edited ? <span className="no-print rounded bg-indigo-50 px-1 text-[11px] text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">generated</span> : null}
              {here.map((o) => (
                <span key={o.email} className="no-print rounded-full bg-amber-100 px-1.5 text-[11px] text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                  {o.name} is here
                </span>
              ))}
              <span role="status" aria-label={`${section.title} save state`} className={`no-print ml-auto text-xs ${entry.state.kind === 'conflict' || entry.state.kind === 'error' ? 'font-medium text-red-600 dark:text-red-400' : 'text-zinc-500'}`}>
                {stateText(entry.state, section)}
              </span>
              <button type="button" className="no-print text-xs text-sky-700 hover:underline dark:text-sky-400" aria-expanded={history === section.key} onClick={() => setHistory(history === section.key ? null : section.key)}>
                History
              </button>
            </header>

            {conflict ? (
              <div role="alert" aria-label={`Conflict in ${section.title}`} className="no-print mt-2 space-y-2 rounded-md border border-red-300 bg-red-50 p-2 text-sm dark:border-red-900 dark:bg-red-950/40">
                <p>{conflict.message}</p>
                <div className="grid grid-cols-1 gap-2 md:grid-cols-2">
                  <div>
                    <p className="text-xs font-medium">Their text (saved, version {conflict.theirs.changedInVersion}{conflict.theirs.updatedBy ? ` by ${conflict.theirs.updatedBy.name}` : ''})</p>
                    <pre aria-label="Their text" className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded bg-white p-2 font-mono text-xs dark:bg-zinc-900">{conflict.theirs.body}</pre>
                  </div>
                  <div>
                    <p className="text-xs font-medium">Your text (not saved)</p>
                    <pre aria-label="Your text" className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded bg-white p-2 font-mono text-xs dark:bg-zinc-900">{entry.body}</pre>
                  </div>
                </div>
                <div className="flex flex-wrap gap-2">
                  <Button
                    onClick={() => {
                      const merged = mergeTexts(conflict.theirs.body, entry.body);
                      setLocal((all) => ({ ...all, [section.key]: { body: merged, base: conflict.theirVersion, state: { kind: 'dirty' } } }));
                      scheduleSave(section.key);
                    }}
                  >
                    Merge both into the editor
                  </Button>
                  <Button variant="secondary" onClick={() => setLocal((all) => ({ ...all, [section.key]: { body: conflict.theirs.body, base: conflict.theirVersion, state: { kind: 'saved' } } }))}>
                    Take theirs
                  </Button>
                </div>
                <p className="text-xs text-zinc-600 dark:text-zinc-400">Merging puts their text first and adds your lines they do not have; check it, then it saves like any edit.</p>
              </div>
            ) : null}

            {section.prompt && !readOnly ? (
              <p id={`prompt-${section.key}`} className="no-print mt-1 text-xs text-zinc-500">
                {section.prompt}
              </p>
            ) : null}
            <div className={`mt-2 grid grid-cols-1 gap-3 ${readOnly ? '' : 'lg:grid-cols-2'}`}>
              {readOnly ? null : (
                <div className="no-print">
                  <label htmlFor={`body-${section.key}`} className="sr-only">
                    {`${section.title} (Markdown)`}
                  </label>
                  <textarea
                    id={`body-${section.key}`}
                    value={entry.body}
                    onFocus={() => setFocused(section.key)}
                    onChange={(e) => edit(section.key, e.target.value)}
                    onBlur={() => {
                      if (entry.state.kind === 'dirty') {
                        clearTimeout(timers.current[section.key]);
                        void save(section.key, entry.body, entry.base);
                      }
                    }}
                    rows={Math.min(18, Math.max(4, entry.body.split('\n').length + 1))}
                    placeholder={section.prompt ?? undefined}
                    aria-describedby={section.prompt ? `prompt-${section.key}` : undefined}
                    className={`${inputClasses} font-mono text-xs`}
                  />
                  {onMakeActionItem ? (
                    <button
                      type="button"
                      className="mt-0.5 text-xs text-sky-700 hover:underline dark:text-sky-400"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => {
                        const area = document.getElementById(`body-${section.key}`) as HTMLTextAreaElement | null;
                        const selected = area ? area.value.slice(area.selectionStart, area.selectionEnd).trim() : '';
                        onMakeActionItem(selected || (window.getSelection()?.toString().trim() ?? ''));
                      }}
                    >
                      Make action item from the selection
                    </button>
                  ) : null}
                </div>
              )}
              <SectionPreview section={section} body={entry.body} />
            </div>
            {history === section.key ? (
              <div className="no-print mt-2">
                <History number={review.incident.number} section={section} current={entry.body} base={entry.base} readOnly={readOnly} onRestored={(next) => absorb(next, undefined)} />
              </div>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
