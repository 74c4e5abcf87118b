'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { mergeIncidentAction } from '@/lib/incidents/actions';
import type { IncidentDto } from '@/lib/incidents/schema';

type Target = { number: number; key: string; title: string };

/**
 * "This is a duplicate of…": merges this incident into the one that carries on. Its timeline,
 * updates, people and the rest move there; this one is closed and points to it.
 */
export function MergeForm({ number, incidentKey, targets }: { number: number; incidentKey: string; targets: Target[] }) {
  const router = useRouter();
  const [into, setInto] = useState('');
  const [reason, setReason] = useState('');
  const merge = useServerAction<IncidentDto>();
  if (!targets.length) return null;
  const chosen = targets.find((t) => String(t.number) === into);
  return (
    <form
      aria-label="Merge this incident into another"
      className="mt-3 space-y-1.5 border-t border-zinc-200 pt-3 dark:border-zinc-800"
      onSubmit={(event) => {
        event.preventDefault();
        if (!chosen) return;
        if (!window.confirm(`Merge ${incidentKey} into ${chosen.key}? Its timeline, updates and people move there, and ${incidentKey} is closed.`)) return;
        merge.run(
          () => mergeIncidentAction(null, { number, into: chosen.number, reason: reason || undefined }),
          (survivor) => router.push(`/incidents/${survivor.number}`),
        );
      }}
    >
      <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500">A duplicate?</h3>
      <label className="block text-xs text-zinc-600 dark:text-zinc-400">
        Merge {incidentKey} into
        <select value={into} onChange={(e) => setInto(e.target.value)} className={`${inputClasses} mt-1 py-1`} aria-invalid={Boolean(merge.fieldErrors.into) || undefined}>
          <option value="">Choose the incident that carries on…</option>
          {targets.map((t) => (
            <option key={t.number} value={t.number}>
              {t.key} {t.title}
            </option>
          ))}
        </select>
      </label>
      <label className="block text-xs text-zinc-600 dark:text-zinc-400">
        Why (optional)
        <input value={reason} onChange={(e) => setReason(e.target.value)} className={`${inputClasses} mt-1 py-1`} placeholder="Same outage, declared twice" />
      </label>
      <Button type="submit" variant="secondary" className="px-2.5 py-1 text-xs" disabled={!chosen || merge.pending}>
        {merge.pending ? 'Merging…' : chosen ? `Merge into ${chosen.key}` : 'Merge'}
      </Button>
      <FormOutcome className="text-xs" done={null} error={merge.fieldErrors.into ?? merge.error} />
    </form>
  );
}
