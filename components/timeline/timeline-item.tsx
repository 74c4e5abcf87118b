'use client';

import { useQuery } from '@tanstack/react-query';
import { memo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { RenderedMarkdown } from '@/components/ui/rendered-markdown';
import type { ActionResult } from '@/lib/platform/auth/action';
import type { EventRevisionDto, TimelineEventDto } from '@/lib/timeline/schema';
import { kindClasses, kindLabels } from './kinds';
import { timelineKeys } from './query-keys';
import { formatClock, formatExact } from '@/lib/platform/time';

const formatUtc = formatExact;

type Props = {
  number: number;
  event: TimelineEventDto & { pending?: boolean };
  canWrite: boolean;
  large?: boolean;
  onEdit: (eventId: string, patch: { body?: string; pinned?: boolean }) => Promise<ActionResult<TimelineEventDto>>;
};

function Revisions({ number, eventId }: { number: number; eventId: string }) {
  const { data, error, isPending } = useQuery({
    queryKey: timelineKeys.revisions(number, eventId),
    queryFn: async (): Promise<{ items: EventRevisionDto[] }> => {
      const response = await fetch(`/api/v1/incidents/${number}/timeline/${eventId}/revisions`);
      if (!response.ok) throw new Error(`Could not load the history (${response.status}).`);
      return response.json();
    },
  });
  if (isPending) return <p className="text-xs text-zinc-500">Loading history…</p>;
  if (error) return <p className="text-xs text-red-600">{error.message}</p>;
  return (
    <ol aria-label="Earlier versions" className="mt-1 space-y-1 border-l-2 border-zinc-200 pl-3 dark:border-zinc-700">
      {data.items.map((revision) => (
        <li key={revision.editedAt} className="text-xs text-zinc-600 dark:text-zinc-400">
          <div className="text-[11px] text-zinc-500">
            Before {revision.editedBy?.name ?? 'someone'}’s edit at {formatUtc(revision.editedAt)}
          </div>
          <div className="whitespace-pre-wrap line-through decoration-zinc-400/60">{revision.body}</div>
        </li>
      ))}
    </ol>
  );
}

export const TimelineItem = memo(function TimelineItem({ number, event, canWrite, large = false, onEdit }: Props) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(event.body);
  const [error, setError] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const [busy, setBusy] = useState(false);
  const occurred = new Date(event.occurredAt);
  const backdated = Math.abs(new Date(event.recordedAt).getTime() - occurred.getTime()) > 60_000;

  async function run(patch: { body?: string; pinned?: boolean }) {
    setBusy(true);
    setError(null);
    const result = await onEdit(event.id, patch);
    setBusy(false);
    if (!result.ok) setError(result.error);
    return result.ok;
  }

  return (
    <article
      aria-label={`${kindLabels[event.kind]} at ${formatUtc(event.occurredAt)}${event.actor ? ` by ${event.actor.name}` : ''}`}
      data-seq={event.seq}
      className={`group grid grid-cols-[4.5rem_1fr] gap-x-3 border-b border-zinc-100 px-3 py-2 dark:border-zinc-800/70 ${event.pinned ? 'bg-amber-50/60 dark:bg-amber-950/20' : ''} ${event.pending ? 'opacity-60' : ''} ${large ? 'text-base' : ''}`}
    >
      <div className="pt-0.5 text-right font-mono text-xs tabular-nums text-zinc-500" title={formatUtc(event.occurredAt)}>
        <time dateTime={event.occurredAt}>{formatClock(occurred, { seconds: true, zone: false })}</time>
      </div>
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs">
          <span className={`rounded px-1.5 py-px font-medium ${kindClasses[event.kind]}`}>{kindLabels[event.kind]}</span>
          {event.actor ? <span className="font-medium text-zinc-700 dark:text-zinc-300">{event.actor.name}</span> : null}
          {backdated ? <span className="text-zinc-500" title={`Recorded ${formatUtc(event.recordedAt)}`}>back-dated</span> : null}
          {event.editedAt ? (
            <button type="button" className="text-zinc-500 underline-offset-2 hover:underline" aria-expanded={showHistory} onClick={() => setShowHistory((v) => !v)}>
              {event.editedBy && event.editedBy.email !== event.actor?.email ? `edited by ${event.editedBy.name}` : 'edited'}
            </button>
          ) : null}
          {event.pending ? <span className="text-zinc-500">sending…</span> : null}
          <span className="ml-auto flex items-center gap-1">
            {canWrite && !event.pending ? (
              <button
                type="button"
                aria-pressed={event.pinned}
                aria-label={event.pinned ? 'Unpin this key event' : 'Pin as a key event'}
                title={event.pinned ? 'Key event (unpin)' : 'Pin as a key event'}
                disabled={busy}
                onClick={() => void run({ pinned: !event.pinned })}
                className={`rounded px-1 ${event.pinned ? 'text-amber-500' : 'text-zinc-400 opacity-0 group-hover:opacity-100 focus:opacity-100'} hover:text-amber-500`}
              >
                {event.pinned ? '★' : '☆'}
              </button>
            ) : event.pinned ? (
              <span className="text-amber-500" aria-label="Key event">
                ★
              </span>
            ) : null}
            {canWrite && event.kind === 'note' && !event.pending && !editing ? (
              <button
                type="button"
                aria-label="Edit this note"
                onClick={() => {
                  setDraft(event.body);
                  setEditing(true);
                }}
                className="rounded px-1 text-zinc-400 opacity-0 hover:text-zinc-700 group-hover:opacity-100 focus:opacity-100 dark:hover:text-zinc-200"
              >
                Edit
              </button>
            ) : null}
          </span>
        </div>
        {editing ? (
          <form
            className="mt-1 space-y-1.5"
            onSubmit={async (e) => {
              e.preventDefault();
              if (await run({ body: draft })) setEditing(false);
            }}
          >
            <label className="sr-only" htmlFor={`edit-${event.id}`}>
              Note text
            </label>
            <textarea
              id={`edit-${event.id}`}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              rows={Math.min(8, Math.max(2, draft.split('\n').length))}
              className={`${inputClasses} font-mono`}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setEditing(false);
                if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) e.currentTarget.form?.requestSubmit();
              }}
              autoFocus
            />
            <div className="flex gap-2">
              <Button type="submit" disabled={busy}>
                Save
              </Button>
              <Button variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
              <span className="self-center text-xs text-zinc-500">The earlier text stays in the history.</span>
            </div>
          </form>
        ) : (
          event.pending ? (
            <p className={`mt-0.5 whitespace-pre-wrap break-words text-sm ${large ? 'text-base' : ''}`}>{event.body}</p>
          ) : (
            <RenderedMarkdown html={event.bodyHtml} className={`mt-0.5 ${large ? 'text-base' : ''}`} />
          )
        )}
        {error ? (
          <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : null}
        {showHistory && event.editedAt ? <Revisions number={number} eventId={event.id} /> : null}
      </div>
    </article>
  );
});
