'use client';

import Link from 'next/link';
import { useState } from 'react';
import { SenderSnippets } from '@/components/alerts/sender-snippets';
import { Button, buttonClasses } from '@/components/ui/button';
import { Field, Select, TextInput } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { createAlertSourceAction } from '@/lib/alerts/actions';
import { kindNames, sourceKindOptions } from '@/lib/alerts/kinds';
import type { AlertSourceKind, CreatedSourceDto } from '@/lib/alerts/schema';

/** Settings → Alert sources → New: name and kind; then the token, shown this once, inside ready-to-paste configuration. */
export function SourceCreate({ baseUrl }: { baseUrl: string }) {
  const { run, pending, fieldErrors, errorBesides } = useServerAction<CreatedSourceDto>();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<AlertSourceKind>('alertmanager');
  const [created, setCreated] = useState<CreatedSourceDto | null>(null);

  if (created) {
    return (
      <div className="space-y-4">
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950">
          <p className="font-medium text-emerald-900 dark:text-emerald-200">“{created.name}” created. Copy its token now: it will not be shown again (you can rotate it later).</p>
          <code data-testid="source-token" className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900">
            {created.token}
          </code>
        </div>
        <SenderSnippets kind={created.kind} baseUrl={baseUrl} token={created.token} />
        <Link href={`/settings/alerts/${created.id}`} className={buttonClasses('primary')}>
          Continue to routes →
        </Link>
      </div>
    );
  }

  return (
    <form
      aria-label="New alert source"
      className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => createAlertSourceAction(null, { name, kind }), (source) => void setCreated(source));
      }}
    >
      <Field label="Name" name="source-name" error={fieldErrors.name} hint="e.g. Prometheus production">
        <TextInput name="source-name" required maxLength={80} value={name} onChange={(event) => setName(event.target.value)} invalid={Boolean(fieldErrors.name)} autoComplete="off" />
      </Field>
      <Field label="Sends" name="source-kind" error={fieldErrors.kind}>
        <Select name="source-kind" value={kind} onChange={(event) => setKind(event.target.value as AlertSourceKind)}>
          {sourceKindOptions.map((option) => (
            <option key={option} value={option}>
              {kindNames[option]}
            </option>
          ))}
        </Select>
      </Field>
      <div className="sm:pt-5">
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create source'}
        </Button>
      </div>
      <FormOutcome error={errorBesides((path) => path === 'name' || path === 'kind')} done={null} className="text-sm sm:col-span-3" />
    </form>
  );
}
