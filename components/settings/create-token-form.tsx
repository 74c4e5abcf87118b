'use client';

import { useState } from 'react';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { Field, Select, TextInput } from '@/components/ui/field';
import { useServerAction } from '@/components/ui/use-server-action';
import { createTokenAction } from '@/lib/tokens/actions';
import type { TokenDto } from '@/lib/tokens/schema';

type Created = TokenDto & { token: string };

export function CreateTokenForm({ people, defaultEmail }: { people: { email: string; name: string }[]; defaultEmail: string }) {
  const { run, pending, result: state, fieldErrors: errors } = useServerAction<Created>();
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-3">
      <ActionForm action={(formData) => run(() => createTokenAction(null, formData))} resetWhen={state?.ok && state.data} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start" aria-label="Create an API token">
        <Field label="Token name" name="name" error={errors.name} hint='What it is for, e.g. "Alertmanager"'>
          <TextInput name="name" required maxLength={80} invalid={Boolean(errors.name)} autoComplete="off" />
        </Field>
        <Field label="Acts as" name="email" error={errors.email} hint="The token has this person's role">
          <Select name="email" defaultValue={defaultEmail}>
            {people.map((person) => (
              <option key={person.email} value={person.email}>
                {person.name} ({person.email})
              </option>
            ))}
          </Select>
        </Field>
        <div className="sm:pt-5">
          <Button type="submit" disabled={pending}>
            {pending ? 'Creating…' : 'Create token'}
          </Button>
        </div>
      </ActionForm>
      {state && !state.ok && !errors.name ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950">
          <p className="font-medium text-emerald-900 dark:text-emerald-200">
            Token “{state.data.name}” created. Copy it now: it will not be shown again.
          </p>
          <div className="mt-2 flex items-center gap-2">
            <code data-testid="new-token" className="min-w-0 flex-1 truncate rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900">
              {state.data.token}
            </code>
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard.writeText(state.data.token);
                setCopied(true);
              }}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
