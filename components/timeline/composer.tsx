'use client';

import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { postNoteAction } from '@/lib/timeline/actions';
import type { SafeHtml } from '@/lib/platform/markdown/safe-html';
import type { TimelineEventDto } from '@/lib/timeline/schema';

type Props = {
  number: number;
  me: { email: string; name: string };
  /** Shows the note at once, marked as sending; settled with the server's event or removed. */
  onPending: (event: TimelineEventDto & { pending: true }) => void;
  onSettled: (pendingId: string, event: TimelineEventDto | null) => void;
};

/** Writes a note (Markdown), optionally back-dated and pinned. Ctrl/⌘+Enter posts. */
export function Composer({ number, me, onPending, onSettled }: Props) {
  const [body, setBody] = useState('');
  const [backdate, setBackdate] = useState('');
  const [pinned, setPinned] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [uploading, setUploading] = useState(0);

  /**
   * A pasted or dropped file is stored with the incident first; its Markdown goes where the
   * cursor is, so the note shows it once posted (images as thumbnails, other files as links).
   */
  async function attach(files: File[]) {
    if (!files.length) return;
    setError(null);
    setUploading((n) => n + files.length);
    for (const file of files) {
      try {
        const response = await fetch(`/api/v1/incidents/${number}/attachments?filename=${encodeURIComponent(file.name || 'screenshot.png')}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: file,
        });
        const answer = (await response.json().catch(() => null)) as { markdown?: string; detail?: string; errors?: { message: string }[] } | null;
        if (!response.ok || !answer?.markdown) throw new Error(answer?.errors?.map((e) => e.message).join('; ') || answer?.detail || `the upload failed (HTTP ${response.status})`);
        const markdown = answer.markdown;
        const at = textarea.current?.selectionStart ?? null;
        setBody((current) => {
          const position = at ?? current.length;
          const before = current.slice(0, position);
          return `${before}${before && !before.endsWith('\n') ? '\n' : ''}${markdown}\n${current.slice(position)}`;
        });
      } catch (failure) {
        setError(`${file.name || 'The file'} was not attached: ${failure instanceof Error ? failure.message : String(failure)}`);
      } finally {
        setUploading((n) => n - 1);
      }
    }
  }

  const mutation = useMutation({
    mutationFn: async (note: { body: string; occurredAt?: string; pinned: boolean; pendingId: string }) => {
      const { pendingId: _pendingId, ...input } = note;
      const result = await postNoteAction(null, { number, ...input });
      if (!result.ok) throw new Error(result.fieldErrors?.occurredAt ?? result.fieldErrors?.body ?? result.error);
      return result.data;
    },
    onMutate: (note) => {
      const now = new Date().toISOString();
      onPending({
        id: note.pendingId,
        seq: Number.MAX_SAFE_INTEGER,
        kind: 'note',
        occurredAt: note.occurredAt ?? now,
        recordedAt: now,
        actor: me,
        body: note.body,
        // Shown as plain text until the server's rendering arrives with the saved note.
        bodyHtml: '' as SafeHtml,
        data: {},
        pinned: note.pinned,
        editedAt: null,
        editedBy: null,
        pending: true,
      });
      setError(null);
      // Clear at once so the next thought can be typed while this one is sent.
      setBody('');
      setBackdate('');
      setPinned(false);
    },
    onSuccess: (event, note) => onSettled(note.pendingId, event),
    onError: (failure, note) => {
      onSettled(note.pendingId, null);
      // Nothing is lost: the text comes back into the box with the reason.
      setBody((current) => (current ? `${note.body}\n${current}` : note.body));
      setError(failure.message);
    },
  });

  function submit() {
    const text = body.trim();
    if (!text) {
      setError('Write the note first.');
      textarea.current?.focus();
      return;
    }
    mutation.mutate({ body: text, pinned, pendingId: `pending-${crypto.randomUUID()}`, ...(backdate ? { occurredAt: new Date(`${backdate}Z`).toISOString() } : {}) });
  }

  return (
    <form
      aria-label="Add a note"
      className="border-b border-zinc-200 p-3 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`note-${number}`} className="sr-only">
        Note (Markdown)
      </label>
      <textarea
        id={`note-${number}`}
        data-shortcut="note"
        aria-keyshortcuts="n"
        ref={textarea}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onPaste={(e) => {
          const files = [...e.clipboardData.files];
          if (files.length) {
            e.preventDefault();
            void attach(files);
          }
        }}
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes('Files')) e.preventDefault();
        }}
        onDrop={(e) => {
          const files = [...e.dataTransfer.files];
          if (files.length) {
            e.preventDefault();
            void attach(files);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            submit();
          }
        }}
        rows={2}
        placeholder="What do you see, what did you do? Markdown, @name, INC-12; paste or drop a screenshot. Ctrl+Enter posts."
        className={`${inputClasses} resize-y`}
        aria-describedby={`note-${number}-error`}
      />
      <div className="mt-2 flex flex-wrap items-center gap-3 text-xs text-zinc-600 dark:text-zinc-400">
        <label className="inline-flex items-center gap-1.5">
          Happened at (UTC)
          <input
            type="datetime-local"
            step={1}
            value={backdate}
            onChange={(e) => setBackdate(e.target.value)}
            aria-label="Back-date: when it happened, in UTC (leave empty for now)"
            className="rounded border border-zinc-300 bg-white px-1.5 py-0.5 dark:border-zinc-700 dark:bg-zinc-900"
          />
        </label>
        <label className="inline-flex items-center gap-1.5">
          <input type="checkbox" checked={pinned} onChange={(e) => setPinned(e.target.checked)} />
          Key event
        </label>
        {uploading ? (
          <span role="status" className="text-zinc-500">
            Attaching {uploading} file{uploading === 1 ? '' : 's'}…
          </span>
        ) : null}
        <p id={`note-${number}-error`} role="alert" className="text-red-600 empty:hidden dark:text-red-400">
          {error}
        </p>
        <Button type="submit" className="ml-auto" disabled={(mutation.isPending && !body) || uploading > 0}>
          {mutation.isPending ? 'Posting…' : 'Post note'}
        </Button>
      </div>
    </form>
  );
}
