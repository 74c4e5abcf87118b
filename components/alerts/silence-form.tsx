'use client';

import { useState } from 'react';
import { compactButton } from '@/components/alerts/compact';
import { Button } from '@/components/ui/button';
import { Field, inputClasses, TextInput } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { createSilenceAction, endSilenceAction } from '@/lib/alerts/actions';
import { parseMatcherLines } from '@/lib/alerts/matcher-text';

const local = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** A new silence: matchers one per line (Alertmanager's notation), when it ends, and why. */
export function SilenceForm() {
  const { run, pending, fieldErrors, errorBesides, done } = useServerAction();
  const [lines, setLines] = useState('');
  const [linesError, setLinesError] = useState<string | null>(null);
  const [endsAt, setEndsAt] = useState(() => local(new Date(Date.now() + 2 * 3_600_000)));
  const [startsAt, setStartsAt] = useState('');
  const [comment, setComment] = useState('');
  const matcherError = linesError ?? Object.entries(fieldErrors).find(([path]) => path === 'matchers' || path.startsWith('matchers.'))?.[1];
  return (
    <form
      aria-label="New silence"
      className="grid gap-3 md:grid-cols-2"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parseMatcherLines(lines);
        if (!parsed.ok) return setLinesError(parsed.errors.join('. '));
        setLinesError(null);
        run(
          () => createSilenceAction(null, { matchers: parsed.matchers, endsAt: new Date(endsAt).toISOString(), startsAt: startsAt ? new Date(startsAt).toISOString() : undefined, comment }),
          () => {
            setLines('');
            setComment('');
            return 'Silence created: matching alerts are stored as silenced and page no one until it ends.';
          },
        );
      }}
    >
      <Field label="Matchers, one per line" name="silence-matchers" error={matcherError} hint={<>e.g. <code>env=&quot;staging&quot;</code>, <code>instance=~&quot;db-.*&quot;</code>, <code>team!=web</code>; every line must match</>} className="md:row-span-3">
        <textarea
          id="silence-matchers"
          name="silence-matchers"
          required
          rows={5}
          value={lines}
          onChange={(event) => setLines(event.target.value)}
          aria-invalid={Boolean(matcherError) || undefined}
          aria-describedby="silence-matchers-error"
          className={`${inputClasses} font-mono`}
          spellCheck={false}
        />
      </Field>
      <Field label="Starts (empty: now)" name="silence-starts" error={fieldErrors.startsAt}>
        <TextInput name="silence-starts" type="datetime-local" value={startsAt} onChange={(event) => setStartsAt(event.target.value)} invalid={Boolean(fieldErrors.startsAt)} />
      </Field>
      <Field label="Ends" name="silence-ends" error={fieldErrors.endsAt}>
        <TextInput name="silence-ends" type="datetime-local" required value={endsAt} onChange={(event) => setEndsAt(event.target.value)} invalid={Boolean(fieldErrors.endsAt)} />
      </Field>
      <Field label="Why (comment)" name="silence-comment" error={fieldErrors.comment}>
        <TextInput name="silence-comment" required maxLength={1000} placeholder="DB failover drill" value={comment} onChange={(event) => setComment(event.target.value)} invalid={Boolean(fieldErrors.comment)} />
      </Field>
      <div className="flex items-center gap-3 md:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create silence'}
        </Button>
        <FormOutcome error={errorBesides((path) => ['startsAt', 'endsAt', 'comment'].includes(path) || path.startsWith('matchers'))} done={done} />
      </div>
    </form>
  );
}

export function EndSilenceButton({ id }: { id: string }) {
  const { run, pending, error } = useServerAction();
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={compactButton('danger')} disabled={pending} onClick={() => run(() => endSilenceAction(null, { id }))}>
        End now
      </button>
      <FormOutcome error={error} done={null} className="text-xs" />
    </span>
  );
}
