'use client';
// The "Page…" dialog and its form. It loads the first time someone opens it (page-dialog.tsx
// holds the button), so the pages that offer paging do not carry it before.

import { useEffect, useState, useTransition, type RefObject } from 'react';
import { Button } from '@/components/ui/button';
import { Field, inputClasses, TextInput } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { listPageTargetsAction, pageFromIncidentAction, triggerPageAction } from '@/lib/oncall/actions';
import type { PageDto } from '@/lib/oncall/schema';
import { DialogTitle, ModalDialog } from '@/components/ui/modal-dialog';

type Targets = {
  people: { email: string; name: string; unreachable: string | null }[];
  schedules: { id: string; name: string; onCall: string | null }[];
  policies: { id: string; name: string; levels: number }[];
};

type Kind = 'policy' | 'schedule' | 'user';

export type PageFormProps = { incidentNumber?: number; dialog: RefObject<HTMLDialogElement | null>; onPaged: (page: PageDto) => void };

/**
 * Pages a person, whoever is on call in a schedule, or an escalation policy, with a message. From
 * an incident (`incidentNumber`) the page carries its title and lands on its timeline; without
 * one it needs a title of its own. Shown as soon as it mounts: it is mounted afresh for each
 * opening, and reads who can be paged then.
 */
export function PageForm({ incidentNumber, dialog, onPaged }: PageFormProps) {
  const [targets, setTargets] = useState<Targets | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, startLoading] = useTransition();
  const [kind, setKind] = useState<Kind>('policy');
  const { run, pending, error, fieldErrors } = useServerAction();
  const prefix = incidentNumber ? `page-${incidentNumber}` : 'page-new';

  useEffect(() => {
    dialog.current?.showModal();
    startLoading(async () => {
      const result = await listPageTargetsAction(null, {});
      if (!result.ok) return setLoadError(result.error);
      setLoadError(null);
      setTargets(result.data);
      if (result.data.policies.length === 0) setKind(result.data.schedules.length ? 'schedule' : 'user');
    });
  }, [dialog]);

  function submit(data: FormData) {
    const chosen = String(data.get('target') ?? '');
    const target = kind === 'policy' ? { policy: chosen } : kind === 'schedule' ? { schedule: chosen } : { user: chosen };
    const message = String(data.get('message') ?? '').trim() || undefined;
    const done = (page: PageDto) => {
      onPaged(page);
      dialog.current?.close();
    };
    if (incidentNumber) run(() => pageFromIncidentAction(null, { number: incidentNumber, target, message }), done);
    else run(() => triggerPageAction(null, { title: String(data.get(`${prefix}-page-title`) ?? ''), details: message, target }), done);
  }

  const options =
    kind === 'policy'
      ? (targets?.policies ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.levels} level${p.levels === 1 ? '' : 's'})` }))
      : kind === 'schedule'
        ? (targets?.schedules ?? []).map((s) => ({ value: s.id, label: `${s.name}: ${s.onCall ? `${s.onCall} is on call` : 'nobody on call now'}` }))
        : (targets?.people ?? []).map((p) => ({ value: p.email, label: `${p.name}${p.unreachable ? ' (no working contact method)' : ''}` }));

  return (
      <ModalDialog ref={dialog} titleId={`${prefix}-title`} width="sm">
        <form
          aria-label={incidentNumber ? `Page someone about INC-${incidentNumber}` : 'Page someone'}
          className="space-y-3 p-4"
          onSubmit={(event) => {
            event.preventDefault();
            submit(new FormData(event.currentTarget));
          }}
        >
          <DialogTitle id={`${prefix}-title`} onClose={() => dialog.current?.close()}>
            {incidentNumber ? `Page someone about INC-${incidentNumber}` : 'Page someone'}
          </DialogTitle>
          {!incidentNumber ? (
            <Field label="What is it about?" name={`${prefix}-page-title`} error={fieldErrors.title}>
              <TextInput name={`${prefix}-page-title`} required minLength={3} autoComplete="off" placeholder="Checkout error rate above 5%" invalid={Boolean(fieldErrors.title)} />
            </Field>
          ) : null}
          <fieldset>
            <legend className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Page</legend>
            <div className="flex flex-wrap gap-3 text-sm">
              {(
                [
                  ['policy', 'An escalation policy'],
                  ['schedule', 'Who is on call'],
                  ['user', 'A person'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="inline-flex items-center gap-1.5">
                  <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          <Field label={kind === 'policy' ? 'Policy' : kind === 'schedule' ? 'Schedule' : 'Person'} name={`${prefix}-target`} error={fieldErrors['target.policy'] ?? fieldErrors['target.schedule'] ?? fieldErrors['target.user'] ?? fieldErrors.target}>
            <select id={`${prefix}-target`} name="target" required className={inputClasses} disabled={loading || !targets} key={kind}>
              {loading || !targets ? <option value="">Loading…</option> : null}
              {targets && options.length === 0 ? <option value="">None set up yet (Settings → On-call)</option> : null}
              {options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Message (optional)" name={`${prefix}-message`} error={fieldErrors.message ?? fieldErrors.details}>
            <textarea id={`${prefix}-message`} name="message" rows={3} maxLength={4000} className={inputClasses} placeholder="What do you need from them?" />
          </Field>
          {loadError ? <p role="alert" className="text-sm text-red-600 dark:text-red-400">{loadError}</p> : null}
          <FormOutcome error={error} done={null} />
          <div className="flex justify-end gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
            <Button variant="ghost" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" variant="alert" disabled={pending || loading || options.length === 0}>
              {pending ? 'Paging…' : 'Page now'}
            </Button>
          </div>
        </form>
      </ModalDialog>
  );
}
