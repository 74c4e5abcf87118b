'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { attachFileAction } from '@/lib/attachments/actions';
import { MAX_ATTACHMENT_BYTES } from '@/lib/attachments/limits';
import { postNoteAction } from '@/lib/timeline/actions';
import type { SafeHtml } from '@/lib/platform/markdown/safe-html';
import { useTimelineWriter } from './timeline-writer';

type Props = {
  number: number;
  me: { email: string; name: string };
};

type Person = { email: string; name: string };

/** The handle a mention uses: the e-mail's local part (`@priya` for priya@example.com). */
const handleOf = (person: Person) => person.email.split('@')[0]!;

/** The `@partial` just before the cursor, if the person is typing a mention. */
function mentionAt(text: string, cursor: number): { start: number; query: string } | null {
  const match = /(?:^|[\s(])@([\w.+-]*)$/.exec(text.slice(0, cursor));
  return match ? { start: cursor - match[1]!.length - 1, query: match[1]!.toLowerCase() } : null;
}

/**
 * Writes a note (Markdown), optionally back-dated and pinned. Ctrl/⌘+Enter posts. Rendered as the
 * child of a <Timeline>, which shows the note as sending at once.
 */
export function Composer({ number, me }: Props) {
  const { onPending, onSettled } = useTimelineWriter();
  const [body, setBody] = useState('');
  const [backdate, setBackdate] = useState('');
  const [pinned, setPinned] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [uploading, setUploading] = useState(0);
  // @mention suggestions: who matches what is typed after the @, and which one is highlighted.
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  // Asked of the server as the handle is typed (a team of thousands is not shipped with the page).
  const { data: mentionable = [] } = useQuery({
    queryKey: ['people', mention?.query ?? ''],
    queryFn: async ({ signal }) => {
      const query = mention?.query ? `&q=${encodeURIComponent(mention.query)}` : '';
      const response = await fetch(`/api/v1/people?limit=20${query}`, { signal, headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`people could not be listed (HTTP ${response.status})`);
      return ((await response.json()) as { items: Person[] }).items;
    },
    enabled: mention !== null,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
  const suggestions = mention
    ? mentionable
        .filter((person) => handleOf(person).toLowerCase().startsWith(mention.query) || person.name.toLowerCase().split(/\s+/).some((word) => word.startsWith(mention.query)))
        .slice(0, 6)
    : [];

  function pickMention(person: Person) {
    const element = textarea.current;
    if (!mention || !element) return;
    const cursor = element.selectionStart;
    const inserted = `@${handleOf(person)} `;
    const next = `${body.slice(0, mention.start)}${inserted}${body.slice(cursor)}`;
    setBody(next);
    setMention(null);
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(mention.start + inserted.length, mention.start + inserted.length);
    });
  }

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
        // Bigger than the cap never leaves the browser: the server would refuse it, and a body
        // over the server-action limit would be cut off with a less helpful answer.
        if (file.size > MAX_ATTACHMENT_BYTES) {
          throw new Error(`it is ${(file.size / 1_048_576).toFixed(1)} MiB; attachments are at most ${MAX_ATTACHMENT_BYTES / 1_048_576} MiB (crop the screenshot, or link to the file)`);
        }
        // A server action, not the API route: the route refuses a session cookie on writes (CSRF).
        const form = new FormData();
        form.set('number', String(number));
        form.set('file', file, file.name || 'screenshot.png');
        const result = await attachFileAction(null, form);
        if (!result.ok) throw new Error(result.fieldErrors?.file ?? result.error);
        const markdown = result.data.markdown;
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
        onChange={(e) => {
          setBody(e.target.value);
          setMention(mentionAt(e.target.value, e.target.selectionStart));
          setHighlighted(0);
        }}
        onBlur={() => setMention(null)}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={suggestions.length > 0}
        aria-controls={`note-${number}-mentions`}
        aria-activedescendant={suggestions.length ? `note-${number}-mention-${highlighted}` : undefined}
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
          if (suggestions.length) {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setHighlighted((i) => (i + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
              return;
            }
            if ((e.key === 'Enter' && !e.metaKey && !e.ctrlKey) || e.key === 'Tab') {
              e.preventDefault();
              pickMention(suggestions[highlighted] ?? suggestions[0]!);
              return;
            }
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              setMention(null);
              return;
            }
          }
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
      <ul id={`note-${number}-mentions`} role="listbox" aria-label="People to mention" hidden={!suggestions.length} className="mt-1 max-w-sm rounded-md border border-zinc-200 bg-white py-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        {suggestions.map((person, index) => (
          <li
            key={person.email}
            id={`note-${number}-mention-${index}`}
            role="option"
            aria-selected={index === highlighted}
            // Chosen before the textarea's blur closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              pickMention(person);
            }}
            className={`cursor-pointer px-2 py-1 ${index === highlighted ? 'bg-sky-100 text-sky-950 dark:bg-sky-900 dark:text-sky-50' : ''}`}
          >
            {person.name} <span className="text-xs text-zinc-500">@{handleOf(person)}</span>
          </li>
        ))}
      </ul>
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
