'use client';

import { SeverityBadge } from '@/components/incidents/severity-badge';
import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { useServerAction } from '@/components/ui/use-server-action';
import type { SeverityDto } from '@/lib/severities/queries';
import { updateSeverityAction } from '@/lib/severities/actions';

export function SeverityForm({ severity, canEdit }: { severity: SeverityDto; canEdit: boolean }) {
  const { run, pending, result: state, fieldErrors: errors } = useServerAction<{ key: string; name: string }>();
  const id = (field: string) => `${severity.key}-${field}`;
  return (
    <ActionForm action={(formData) => run(() => updateSeverityAction(null, formData))} aria-label={`Edit ${severity.key}`} className="grid gap-2 py-3 sm:grid-cols-[5rem_10rem_1fr_8rem_8rem_auto_auto] sm:items-start">
      <input type="hidden" name="key" value={severity.key} />
      <div className="pt-1.5">
        <SeverityBadge severity={severity.key} />
      </div>
      <label htmlFor={id('name')} className="sr-only">{`${severity.key} name`}</label>
      <input id={id('name')} name="name" defaultValue={severity.name} disabled={!canEdit} aria-invalid={Boolean(errors.name) || undefined} className={inputClasses} />
      <label htmlFor={id('description')} className="sr-only">{`${severity.key} description`}</label>
      <textarea id={id('description')} name="description" defaultValue={severity.description} rows={2} disabled={!canEdit} className={`${inputClasses} text-xs`} />
      <label className="text-xs text-zinc-500">
        Respond within (min)
        <input name="responseTargetMinutes" type="number" defaultValue={severity.responseTargetMinutes} disabled={!canEdit} aria-invalid={Boolean(errors.responseTargetMinutes) || undefined} className={`${inputClasses} mt-0.5`} />
      </label>
      <label className="text-xs text-zinc-500">
        Update every (min)
        <input name="updateCadenceMinutes" type="number" defaultValue={severity.updateCadenceMinutes} disabled={!canEdit} aria-invalid={Boolean(errors.updateCadenceMinutes) || undefined} className={`${inputClasses} mt-0.5`} />
      </label>
      <label className="inline-flex items-center gap-1 self-center text-xs text-zinc-600 dark:text-zinc-400" title="Incidents of this severity close only once their post-incident review is published">
        <input type="checkbox" name="reviewRequired" defaultChecked={severity.reviewRequired} disabled={!canEdit} />
        Review required
      </label>
      {canEdit ? (
        <div className="sm:pt-0.5">
          <Button type="submit" variant="secondary" disabled={pending}>
            Save
          </Button>
        </div>
      ) : null}
      <p role="status" className={`text-xs sm:col-span-7 ${state?.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-600 dark:text-red-400'} empty:hidden`}>
        {state?.ok ? `Saved ${state.data.key}.` : state ? Object.values(errors).join(' ') || state.error : ''}
      </p>
    </ActionForm>
  );
}
