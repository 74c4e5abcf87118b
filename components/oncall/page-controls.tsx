'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { acknowledgePageAction, escalatePageAction, listPageTargetsAction, reassignPageAction, resolvePageAction } from '@/lib/oncall/actions';
import type { PageDto } from '@/lib/oncall/schema';

type Option = { value: string; label: string };

/** Acknowledge, resolve, escalate now, reassign: each refused with a reason when the page moved on first. */
export function PageControls({ page }: { page: PageDto }) {
  const { run, pending, error } = useServerAction();
  const [reassigning, setReassigning] = useState(false);
  const [options, setOptions] = useState<Option[] | null>(null);
  const [loading, startLoading] = useTransition();
  const canEscalate = page.status === 'triggered' && page.nextEscalationAt !== null;

  const openReassign = () => {
    setReassigning(true);
    startLoading(async () => {
      const result = await listPageTargetsAction(null, {});
      if (!result.ok) return setOptions([]);
      setOptions([
        ...result.data.policies.map((p) => ({ value: `policy:${p.id}`, label: `Policy: ${p.name}` })),
        ...result.data.schedules.map((s) => ({ value: `schedule:${s.id}`, label: `On call in ${s.name}${s.onCall ? ` (${s.onCall})` : ' (nobody now)'}` })),
        ...result.data.people.map((p) => ({ value: `user:${p.email}`, label: `${p.name}${p.unreachable ? ' (no working contact method)' : ''}` })),
      ]);
    });
  };

  return (
    <div className="mt-2 space-y-1.5">
      <div className="flex flex-wrap gap-1.5" role="group" aria-label={`Actions for “${page.title}”`}>
        {page.status === 'triggered' ? (
          <Button className="px-2 py-1 text-xs" disabled={pending} onClick={() => run(() => acknowledgePageAction(null, { id: page.id }))}>
            Acknowledge
          </Button>
        ) : null}
        <Button variant="secondary" className="px-2 py-1 text-xs" disabled={pending} onClick={() => run(() => resolvePageAction(null, { id: page.id }))}>
          Resolve
        </Button>
        {canEscalate ? (
          <Button variant="secondary" className="px-2 py-1 text-xs" disabled={pending} onClick={() => run(() => escalatePageAction(null, { id: page.id }))}>
            Escalate now
          </Button>
        ) : null}
        <Button variant="ghost" className="px-2 py-1 text-xs" aria-expanded={reassigning} onClick={() => (reassigning ? setReassigning(false) : openReassign())}>
          Reassign…
        </Button>
      </div>
      {reassigning ? (
        <form
          aria-label={`Reassign “${page.title}”`}
          className="flex flex-wrap items-end gap-1.5"
          onSubmit={(event) => {
            event.preventDefault();
            const [kind, ...rest] = String(new FormData(event.currentTarget).get('to') ?? '').split(':');
            const value = rest.join(':');
            const target = kind === 'policy' ? { policy: value } : kind === 'schedule' ? { schedule: value } : { user: value };
            run(() => reassignPageAction(null, { id: page.id, target }), () => setReassigning(false));
          }}
        >
          <label className="min-w-0 flex-1 text-xs text-zinc-600 dark:text-zinc-400">
            Reassign to
            <select name="to" required className={`${inputClasses} mt-0.5 py-1 text-xs`} disabled={loading || !options}>
              {!options ? <option value="">Loading…</option> : null}
              {options?.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" className="px-2 py-1 text-xs" disabled={pending || !options?.length}>
            Reassign
          </Button>
        </form>
      ) : null}
      <FormOutcome error={error} done={null} className="text-xs" />
    </div>
  );
}
