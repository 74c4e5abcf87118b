'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field, Select, TextInput } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { addContactMethodAction, deleteContactMethodAction, testContactMethodAction } from '@/lib/oncall/actions';
import type { ContactMethodDto } from '@/lib/oncall/schema';
import { contactKindNames, contactKinds, type ContactKind } from '@/lib/oncall/vocabulary';

const placeholders: Record<ContactKind, string> = {
  email: 'ana@example.com',
  ntfy: 'https://ntfy.sh/sitrep-ana-3f9k',
  slack: 'https://hooks.slack.com/services/T000/B000/XXXX',
  teams: 'https://example.webhook.office.com/webhookb2/…',
  mattermost: 'https://mattermost.example.com/hooks/xxxx',
  webhook: 'https://sms-gateway.example.com/sitrep',
};

function delayText(seconds: number): string {
  if (seconds === 0) return 'at once';
  return seconds % 60 === 0 ? `after ${seconds / 60} min` : `after ${seconds} s`;
}

function MethodRow({ method, person }: { method: ContactMethodDto; person: string }) {
  const test = useServerAction();
  const remove = useServerAction();
  const [sent, setSent] = useState(false);
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
      <div className="min-w-0 flex-1">
        <p className="text-sm">
          <span className="font-medium">{contactKindNames[method.kind].split(' (')[0]}</span>
          {method.label ? <span className="text-zinc-500"> · {method.label}</span> : null}
          <span className="text-zinc-500"> · {delayText(method.delaySeconds)}</span>
        </p>
        <p className="truncate font-mono text-xs text-zinc-500">{method.hint}</p>
        {method.problem ? <p className="text-xs text-amber-800 dark:text-amber-300">{method.problem}</p> : null}
        {method.lastResult && !method.problem ? <p className="text-xs text-zinc-500">Last message {method.lastResult.status} {method.lastResult.at.slice(0, 16).replace('T', ' ')} UTC</p> : null}
      </div>
      <Badge tone={method.working ? 'success' : 'warning'}>{method.working ? 'working' : 'not working'}</Badge>
      <Button
        variant="secondary"
        className="px-2 py-1 text-xs"
        disabled={test.pending}
        aria-label={`Send a test to ${method.hint}`}
        onClick={() => test.run(() => testContactMethodAction(null, { person, id: method.id }), () => setSent(true))}
      >
        Send test
      </Button>
      <Button variant="danger" className="px-2 py-1 text-xs" disabled={remove.pending} aria-label={`Remove ${method.hint}`} onClick={() => remove.run(() => deleteContactMethodAction(null, { person, id: method.id }))}>
        Remove
      </Button>
      <div className="basis-full">
        <FormOutcome error={test.error ?? remove.error} done={sent ? 'Test queued: it should arrive within seconds; reload to see its result.' : null} className="text-xs" />
      </div>
    </li>
  );
}

/** A person's contact methods: each with whether a page can reach them that way, Send test and Remove; and the form to add one. */
export function ContactMethods({ methods, person, whose }: { methods: ContactMethodDto[]; person: string; whose: string }) {
  const { run, pending, error, fieldErrors } = useServerAction();
  const [kind, setKind] = useState<ContactKind>('email');
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <div className="space-y-4">
      {methods.length ? (
        <ul aria-label={`Contact methods of ${whose}`} className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {methods.map((method) => (
            <MethodRow key={method.id} method={method} person={person} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-amber-800 dark:text-amber-300">No contact methods yet: a page cannot reach {whose === 'you' ? 'you' : whose}.</p>
      )}
      <form
        aria-label="Add a contact method"
        className="grid gap-3 border-t border-zinc-200 pt-3 sm:grid-cols-[10rem_1fr_7rem] dark:border-zinc-800"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const data = new FormData(form);
          run(
            () =>
              addContactMethodAction(null, {
                person,
                kind,
                target: String(data.get('cm-target') ?? ''),
                delaySeconds: Number(data.get('cm-delay') || 0),
                label: String(data.get('cm-label') ?? '') || undefined,
              }),
            (created) => {
              setSecret(created.signingSecret ?? null);
              form.reset();
            },
          );
        }}
      >
        <Field label="Kind" name="cm-kind" error={fieldErrors.kind}>
          <Select name="cm-kind" value={kind} onChange={(e) => setKind(e.target.value as ContactKind)}>
            {contactKinds.map((value) => (
              <option key={value} value={value}>
                {contactKindNames[value]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={kind === 'email' ? 'E-mail address' : kind === 'ntfy' ? 'ntfy server URL and topic' : 'URL to post to'} name="cm-target" error={fieldErrors.target}>
          <TextInput name="cm-target" required autoComplete="off" placeholder={placeholders[kind]} invalid={Boolean(fieldErrors.target)} />
        </Field>
        <Field label="Delay (seconds)" name="cm-delay" error={fieldErrors.delaySeconds} hint="0 = at once">
          <TextInput name="cm-delay" type="number" min={0} max={3600} step={1} defaultValue={0} invalid={Boolean(fieldErrors.delaySeconds)} />
        </Field>
        <Field label="Label (optional)" name="cm-label" error={fieldErrors.label} className="sm:col-span-2">
          <TextInput name="cm-label" autoComplete="off" placeholder="Work phone" />
        </Field>
        <div className="flex items-end">
          <Button type="submit" disabled={pending} className="w-full">
            {pending ? 'Adding…' : 'Add'}
          </Button>
        </div>
        <div className="sm:col-span-3">
          <FormOutcome error={error} done={null} />
          {secret ? (
            <p role="status" className="text-sm">
              Signing secret, shown this once (verify <code>webhook-signature</code> with any Standard Webhooks library): <code className="break-all rounded bg-zinc-100 px-1 dark:bg-zinc-800">{secret}</code>
            </p>
          ) : null}
        </div>
      </form>
    </div>
  );
}
